package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// runCompletion prints a shell's completion script: subcommands, and each
// one's flags, read from its own --help so that they never drift.
func runCompletion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("completion", stdout)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("want one shell (bash, zsh or fish), got %d arguments", len(pos))
	}
	var names []string
	flags := map[string][]string{}
	summary := map[string]string{}
	for _, c := range commands() {
		names = append(names, c.name)
		summary[c.name] = c.summary
		flags[c.name] = flagsOf(c)
	}
	switch pos[0] {
	case "bash":
		writeBash(stdout, names, flags, false)
	case "zsh":
		writeBash(stdout, names, flags, true)
	case "fish":
		writeFish(stdout, names, flags, summary)
	default:
		return usageError("unknown shell %q: use bash, zsh or fish", pos[0])
	}
	return nil
}

// flagsOf lists a command's flags, as its --help prints them.
func flagsOf(c command) []string {
	if c.name == "completion" {
		return nil
	}
	var help bytes.Buffer
	_ = c.run([]string{"--help"}, &help, io.Discard)
	var out []string
	sc := bufio.NewScanner(&help)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "  -"); ok {
			name, _, _ := strings.Cut(rest, " ")
			name, _, _ = strings.Cut(name, "\t")
			out = append(out, name)
		}
	}
	return out
}

func writeBash(w io.Writer, names []string, flags map[string][]string, zsh bool) {
	if zsh {
		fmt.Fprintln(w, "# journeymap completion for zsh: eval \"$(journeymap completion zsh)\" in ~/.zshrc")
		fmt.Fprintln(w, "autoload -U +X bashcompinit && bashcompinit")
	} else {
		fmt.Fprintln(w, "# journeymap completion for bash: eval \"$(journeymap completion bash)\" in ~/.bashrc")
	}
	fmt.Fprintln(w, "_journeymap() {")
	fmt.Fprintln(w, `  local cur="${COMP_WORDS[COMP_CWORD]}" flags=""`)
	fmt.Fprintln(w, `  if [ "$COMP_CWORD" -eq 1 ]; then`)
	fmt.Fprintf(w, "    COMPREPLY=($(compgen -W %q -- \"$cur\"))\n", strings.Join(append(names, "help", "version"), " "))
	fmt.Fprintln(w, "    return")
	fmt.Fprintln(w, "  fi")
	fmt.Fprintln(w, `  case "${COMP_WORDS[1]}" in`)
	for _, n := range names {
		var fl []string
		for _, f := range flags[n] {
			fl = append(fl, dashed(f))
		}
		fmt.Fprintf(w, "    %s) flags=%q ;;\n", n, strings.Join(fl, " "))
	}
	fmt.Fprintln(w, "  esac")
	fmt.Fprintln(w, `  if [[ "$cur" == -* ]]; then`)
	fmt.Fprintln(w, `    COMPREPLY=($(compgen -W "$flags" -- "$cur"))`)
	fmt.Fprintln(w, "  else")
	fmt.Fprintln(w, `    COMPREPLY=($(compgen -f -- "$cur"))`)
	fmt.Fprintln(w, "  fi")
	fmt.Fprintln(w, "}")
	fmt.Fprintln(w, "complete -o default -F _journeymap journeymap")
}

func writeFish(w io.Writer, names []string, flags map[string][]string, summary map[string]string) {
	fmt.Fprintln(w, "# journeymap completion for fish: journeymap completion fish > ~/.config/fish/completions/journeymap.fish")
	fmt.Fprintf(w, "complete -c journeymap -n __fish_use_subcommand -f -a version -d %q\n", "print the version")
	for _, n := range names {
		fmt.Fprintf(w, "complete -c journeymap -n __fish_use_subcommand -f -a %s -d %q\n", n, summary[n])
		for _, f := range flags[n] {
			opt := "-l " + f
			if len(f) == 1 {
				opt = "-s " + f
			}
			fmt.Fprintf(w, "complete -c journeymap -n '__fish_seen_subcommand_from %s' %s -r\n", n, opt)
		}
	}
}

// dashed is a flag as it is typed: -o, --format.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
