// Command journeymap checks customer journey maps against what customers
// really do.
//
//	journeymap analyze  --journey J.yaml --events LOG [--format text|json|markdown|html|dot] [-o FILE] [--segment COL] [--horizon 30d] [--strict]
//	journeymap validate J.yaml
//	journeymap graph    J.yaml [--format dot|mermaid] [-o FILE]
//	journeymap discover --events LOG [--format yaml|json|html|markdown|dot|mermaid] [-o FILE] [--coverage 0.9] [--variants N] [--lifecycle all|complete]
//	journeymap diff     BEFORE.json AFTER.json [--format text|markdown|json] [-o FILE]
//	journeymap watch    --journey J.yaml --window 24h [--events -] [--log-format jsonl|csv] [--lateness 1h]
//	journeymap completion bash|zsh|fish
//	journeymap version
//
// Run `journeymap help` or `journeymap COMMAND --help` for the details.
// Exit status: 0 done, 1 an error, 3 diff found a regression.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/replay"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: its usage line, its purpose (one line for
// "journeymap help", and more for --help) and its body.
type command struct {
	name, usage, summary, more string
	run                        func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"analyze", "journeymap analyze --journey J.yaml --events LOG [--format text|json|markdown|html|dot] [-o FILE] [--segment COL] [--since T] [--until T] [--horizon 30d] [--strict]",
			"replay an event log through a journey and report its friction, worst first", "", runAnalyze},
		{"validate", "journeymap validate J.yaml", "check a journey file and list every problem in it", "", runValidate},
		{"graph", "journeymap graph J.yaml [--format dot|mermaid] [-o FILE]", "draw a journey as Graphviz DOT or a Mermaid flowchart", "", runGraph},
		{"discover", "journeymap discover --events LOG [--format yaml|json|html|markdown|dot|mermaid] [-o FILE] [--coverage 0.9] [--variants N]",
			"find the as-is journey in an event log", ": directly-follows graph, variants, start and end", runDiscover},
		{"diff", "journeymap diff BEFORE.json AFTER.json [--format text|markdown|json] [-o FILE]",
			"compare two reports: what improved, regressed, appeared or disappeared", " (exit 3 on a regression, 1 on an error)", runDiff},
		{"watch", "journeymap watch --journey J.yaml --window 24h [--events -] [--log-format jsonl|csv] [--lateness 1h] [--baseline 4]",
			"listen to events as they happen and alert when a finding appears, regresses or resolves",
			": events in time order (within --lateness) on standard input, alerts as JSON Lines on stdout as each window is judged (once past its end plus the case timeout)", runWatch},
		{"completion", "journeymap completion bash|zsh|fish", "print a shell's completion script", `: eval "$(journeymap completion bash)" in ~/.bashrc, the same with zsh in ~/.zshrc; for fish, journeymap completion fish > ~/.config/fish/completions/journeymap.fish`, runCompletion},
	}
}

// commandNamed returns the command called name.
func commandNamed(name string) command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	panic("journeymap: no command " + name)
}

// errUsage marks an error that is the caller's wording, not the input's.
var errUsage = errors.New("usage")

// checkedWriter remembers the first error writing to w, so that a command
// whose output could not be written (a full disk, a closed pipe) exits 1.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.err = err
	return n, err
}

func run(args []string, stdout, stderr io.Writer) int {
	out := &checkedWriter{w: stdout}
	code := dispatch(args, out, stderr)
	if code == 0 && out.err != nil {
		fmt.Fprintf(stderr, "journeymap: cannot write the output: %v\n", out.err)
		return 1
	}
	return code
}

// Exit codes: 0 done, 1 an error (bad input or bad usage, said on
// stderr), 3 diff found a regression (so that a pipeline tells a
// regression from an error).
const (
	exitError      = 1
	exitRegression = 3
)

// errRegression is diff's answer where the after report regressed.
var errRegression = errors.New("the after report has regressions (listed above)")

func dispatch(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		// Not asked for: usage is an error's words, on stderr.
		printHelp(stderr)
		return exitError
	case args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help":
		if len(args) > 1 {
			return dispatch([]string{args[1], "--help"}, stdout, stderr)
		}
		printHelp(stdout)
		return 0
	case args[0] == "version" || args[0] == "-version" || args[0] == "--version":
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errRegression):
			fmt.Fprintf(stderr, "journeymap %s: %v\n", c.name, err)
			return exitRegression
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "journeymap %s: %v\nusage: %s\n", c.name, strings.TrimPrefix(err.Error(), "usage: "), c.usage)
		default:
			fmt.Fprintf(stderr, "journeymap %s: %v\n", c.name, inFlagWords(err))
		}
		return exitError
	}
	fmt.Fprintf(stderr, "journeymap: unknown command %q; run \"journeymap help\" for the list\n", args[0])
	return exitError
}

// printHelp writes the command's help: what it is, each command's usage
// and purpose, and the exit codes. The README's "The command" section is
// this text (TestREADMEUsageIsHelp).
func printHelp(w io.Writer) {
	fmt.Fprintln(w, "journeymap checks customer journey maps against what customers really do.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %s\n", c.usage)
	}
	fmt.Fprintln(w, "  journeymap version")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "version", "print the version, commit and Go version it was built with")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run \"journeymap COMMAND --help\" for a command's flags.")
	fmt.Fprintln(w, "Exit status: 0 done, 1 an error (said on stderr), 3 diff found a regression.")
}

// inFlagWords adds to a library error the flag that does what it says:
// the library speaks of its options, the command of its flags.
func inFlagWords(err error) error {
	flags := map[string]string{"CaseCol": "--case-col", "TouchpointCol": "--touchpoint-col", "TimeCol": "--time-col"}
	// A reader names every missing column at once, in one joined error:
	// they are put in one sentence, in flag words.
	var missing []*eventlog.ColumnError
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			if ce, ok := asError[*eventlog.ColumnError](e); ok {
				missing = append(missing, ce)
			}
		}
	} else if ce, ok := asError[*eventlog.ColumnError](err); ok {
		missing = append(missing, ce)
	}
	if len(missing) > 0 {
		var what, names, pass []string
		for _, ce := range missing {
			w := "no " + ce.What + " column"
			if len(ce.Closest) > 0 {
				w += fmt.Sprintf(" (did you mean %q?)", ce.Closest[0])
			}
			what = append(what, w)
			names = append(names, ce.Names[0])
			pass = append(pass, flags[ce.Option]+" NAME")
		}
		it := "it"
		if len(missing) > 1 {
			it = "them"
		}
		return fmt.Errorf("%s: %s: the header has %s; name %s %s, or pass %s",
			missing[0].Where(), andList(what), missing[0].Header, it, andList(names), andList(pass))
	}
	if qe, ok := asError[*journeymap.QualityError](err); ok {
		opt := map[string]string{"TimeFormat": "--time-format", "CaseCol": "--case-col", "TouchpointCol": "--touchpoint-col", "TimeCol": "--time-col"}[qe.Option]
		msg := strings.TrimSuffix(qe.Error(), "set Options."+qe.Option)
		if opt != "" {
			return fmt.Errorf("%spass %s (or check --log-format and the columns)", msg, opt)
		}
		return err
	}
	if fe, ok := asError[*eventlog.FormatError](err); ok && !fe.Workbook {
		return fmt.Errorf("%w with --log-format csv|jsonl|xes", err)
	}
	if re, ok := asError[*eventlog.RowError](err); ok {
		return fmt.Errorf("%s (without --strict, malformed rows are counted and skipped)", re.Problem)
	}
	if errors.Is(err, replay.ErrEmptyPeriod) {
		return fmt.Errorf("%w: check --since and --until", err)
	}
	if errors.Is(err, journeymap.ErrNoEvents) && !errors.Is(err, journeymap.ErrEmptyLog) {
		return fmt.Errorf("%w: check --case-col, --touchpoint-col, --time-col, --time-format and --log-format", err)
	}
	return err
}

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// usageError is a mistake in how the command was called.
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// newFlags makes the flag set of the command called name, whose --help
// prints the command's usage, purpose and flags to stdout: help asked for
// is output.
func newFlags(name string, stdout io.Writer) *flag.FlagSet {
	c := commandNamed(name)
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "%s\n\n%s%s.\n", c.usage, strings.ToUpper(c.summary[:1])+c.summary[1:], c.more)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(stdout, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags that may come before or after the positional
// arguments ("graph J.yaml --format dot") and returns the positionals.
//
// A bad flag is one line and the usage line (run prints them), not the
// whole help: the flag package's own printing is kept for --help.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	out, help := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	defer func() { fs.SetOutput(out); fs.Usage = help }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(out)
				help()
				return nil, err
			}
			return nil, usageError("%v", err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// writeOutput writes with write to -o FILE, or to stdout when path is
// empty or "-". A file is written beside its target under a temporary
// name and renamed over it only once it is whole, so that a failed write
// (a full disk, an error half way) never leaves a truncated file where
// yesterday's report was.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		if err := write(stdout); err != nil {
			return fmt.Errorf("cannot write the output: %w", err)
		}
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("cannot write output to %s: it is a directory", path)
	} else if err == nil && !st.Mode().IsRegular() {
		// A device or a pipe (-o /dev/null, -o /dev/stdout, a FIFO) is
		// written in place: there is no file to keep, and renaming over
		// it would replace the device.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("cannot write output: %w", err)
		}
		if err := write(f); err != nil {
			f.Close()
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		return f.Close()
	}
	// Through a symbolic link, the file it names is written: the link
	// stays a link.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	// A new file gets the permissions the user's umask gives (0666 less
	// it), a file written over keeps its own.
	perm := os.FileMode(0o666)
	keep := false
	if st, err := os.Stat(path); err == nil {
		perm, keep = st.Mode().Perm(), true
	}
	var f *os.File
	var tmp string
	var err error
	for try := 0; ; try++ {
		tmp = filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.%d.%d.tmp", filepath.Base(path), os.Getpid(), try))
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if err == nil || !errors.Is(err, fs.ErrExist) || try > 100 {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("cannot write output: %w", err)
	}
	defer os.Remove(tmp) // a no-op once renamed
	stop := removeOnSignal(tmp)
	defer stop()
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && keep {
		err = os.Chmod(tmp, perm)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("cannot write %s (it is left as it was): %w", path, err)
	}
	return nil
}

// asError is errors.As returning the match (errors.AsType from Go 1.26 on;
// the module keeps to Go 1.25).
func asError[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}
