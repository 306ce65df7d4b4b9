package main

import (
	"os"
	"os/signal"
	"syscall"
)

// removeOnSignal removes path if the command is interrupted (SIGINT,
// SIGTERM) before stop is called, and then exits as the signal would
// (130 or 143): an interrupted -o leaves no half-written temporary file.
func removeOnSignal(path string) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			os.Remove(path)
			code := 130
			if s == syscall.SIGTERM {
				code = 143
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
