//go:build !unix

package main

import "io"

// terminalWidth is 0 where the terminal's width cannot be asked.
func terminalWidth(io.Writer) int { return 0 }
