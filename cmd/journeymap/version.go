package main

import (
	"runtime/debug"
	"strings"
)

// versionLine is what --version prints: the module's version, the commit
// and its time (a "+dirty" commit had uncommitted changes), and the Go
// that built it, from the binary's own build information.
func versionLine() string {
	version, commit, when, dirty := "(devel)", "", "", false
	goVersion := "unknown Go"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		if v := bi.Main.Version; v != "" {
			version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	line := "journeymap " + version
	if commit != "" {
		if len(commit) > 12 {
			commit = commit[:12]
		}
		var about []string
		if !strings.Contains(version, commit) { // a pseudo-version names its commit already
			if dirty {
				commit += "+dirty"
			}
			about = append(about, "commit "+commit)
		}
		if when != "" {
			about = append(about, when)
		}
		line += " (" + strings.Join(about, ", ") + ")"
	}
	return line + ", built with " + goVersion
}
