package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
)

// refuseInputs is an error where -o names a file that the run reads
// (compared as files, not strings: ./, symlinks and hard links are the
// same file), so that no command can destroy its own input.
func refuseInputs(out string, inputs map[string]string) error {
	if out == "" || out == "-" {
		return nil
	}
	ost, err := os.Stat(out)
	if err != nil {
		return nil // nothing there yet
	}
	for flagName, in := range inputs {
		if in == "" || in == "-" || strings.Contains(in, "://") {
			continue
		}
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			return usageError("-o %s is the file %s reads: choose another output file (journeymap never overwrites an input of the run)", out, flagName)
		}
	}
	return nil
}

// formatFromOutput returns the format -o's extension names, where
// --format was not given: report.html is HTML. ok is false where the
// extension names none of the formats allowed.
func formatFromOutput(fs *flag.FlagSet, out string, allowed map[string]string) (string, bool) {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "format" })
	if set || out == "" || out == "-" {
		return "", false
	}
	format, ok := allowed[strings.ToLower(strings.TrimPrefix(filepath.Ext(out), "."))]
	return format, ok
}

// reportExtensions maps an output file's extension to analyze's format.
var reportExtensions = map[string]string{"html": "html", "htm": "html", "json": "json", "md": "markdown", "markdown": "markdown", "dot": "dot", "gv": "dot", "txt": "text"}
