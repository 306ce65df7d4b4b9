//go:build !unix

package journeymap_test

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs here") }
