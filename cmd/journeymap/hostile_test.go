package main

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileInputs are the rows of SECURITY.md's table: each input, the
// command it is given to, and what the user gets. Every one must end with
// exit 1 and that message (or exit 0 for the sloppy-but-valid ones), never
// a panic, within seconds.
func hostileInputs(t *testing.T) []struct {
	name, file, want string
	validate, ok     bool
} {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		return p
	}
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 200_000)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	var bomb bytes.Buffer // 100 MB of blank lines in 100 kB
	bz := gzip.NewWriter(&bomb)
	bz.Write([]byte("case_id,touchpoint,timestamp\n"))
	bz.Write(bytes.Repeat([]byte("\n"), 100<<20))
	require.NoError(t, bz.Close())
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	xes, err := os.ReadFile("../../eventlog/testdata/shop.xes")
	require.NoError(t, err)
	_, _ = zw.Write(bytes.Repeat(xes, 50))
	require.NoError(t, zw.Close())
	var aliases strings.Builder
	aliases.WriteString("id: bomb\nstages: [s]\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		aliases.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for k := range 10 {
			if k > 0 {
				aliases.WriteString(", ")
			}
			aliases.WriteString("*a" + string(rune('0'+i-1)))
		}
		aliases.WriteString("]\n")
	}
	aliases.WriteString("touchpoints: *a9\n")

	return []struct {
		name, file, want string
		validate, ok     bool
	}{
		{"binary garbage as YAML", write("garbage.yaml", garbage), "garbage.yaml: not valid YAML", true, false},
		{"empty journey file", write("empty.yaml", nil), "empty.yaml: file is empty", true, false},
		{"YAML alias bomb (10^10 nodes)", write("aliases.yaml", []byte(aliases.String())), "aliases.yaml:", true, false},
		{"YAML nested 100,000 deep", write("deep.yaml", []byte("id: x\nstages: "+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+"\n")), "exceeded max depth of 10000", true, false},
		{"binary garbage as CSV", write("garbage.csv", garbage), "garbage.csv:1: ", false, false},
		{"binary garbage as JSON Lines", write("garbage.jsonl", garbage), "garbage.jsonl: none of its", false, false},
		{"binary garbage as XES", write("garbage.xes", garbage), "garbage.xes", false, false},
		{"XML entity expansion (billion laughs)", write("laughs.xes", []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><log><trace><string key="concept:name" value="&lol2;"/></trace></log>`)), "DOCTYPE declarations are not accepted", false, false},
		{"truncated XES", write("cut.xes", xes[:len(xes)/2]), "it is truncated", false, false},
		{"truncated gzip", write("cut.xes.gz", gz.Bytes()[:gz.Len()/2]), "the gzip stream is truncated", false, false},
		{"not gzip at all but named .gz", write("fake.csv.gz", []byte("case_id,touchpoint,timestamp\nc,home,2024-01-01T00:00:00Z\n")), "", false, true},
		{"a log of which no event matches the journey", write("other.csv", []byte("case_id,touchpoint,timestamp\nc,A_SUBMITTED,2024-01-01T00:00:00Z\n")), "none of the log's 1 events matches a touchpoint of journey \"retail-omnichannel\": the log names \"A_SUBMITTED\"", false, false},
		{"a 5 MB line", write("long.csv", []byte("case_id,touchpoint,timestamp\nc1,"+strings.Repeat("x", 5<<20)+",2024-01-01T00:00:00Z\n")), "line longer than 1048576 bytes", false, false},
		{"100,000 columns", write("wide.csv", []byte(strings.Repeat("c,", 100000)+"c\n")), "header has 100001 columns; the limit is 4096", false, false},
		{"empty CSV", write("empty.csv", nil), "empty.csv: the file is empty", false, false},
		{"empty XES", write("empty.xes", nil), "no <log> element", false, false},
		{"empty JSON Lines", write("empty.jsonl", nil), "empty.jsonl: the file is empty", false, false},
		{"a gzip bomb of blank lines", write("bomb.csv.gz", bomb.Bytes()), "expands more than 500 times its size", false, false},
		{"a column with a meaning named twice", write("dup.csv", []byte("case_id,touchpoint,timestamp,case_id\nc1,home,2024-01-01T00:00:00Z,c2\n")), `column "case_id" is named twice in the header (columns 1 and 4)`, false, false},
		{"two YAML documents", write("two.yaml", []byte("id: a\nstages: [s]\ntouchpoints: [{id: a, stage: s, entry: true, goal: true}]\n---\nid: b\n")), "the file holds a second YAML document", true, false},
		{"XES with crossed end tags", write("crossed.xes", []byte("<log><trace><event></trace></event></log>")), "</trace> closes <event>", false, false},
		{"header-only CSV: no events, a clear no (contract 2)", write("header.csv", []byte("case_id,touchpoint,timestamp\n")), "the log has no events", false, false},
		{"BOM, CRLF, quotes, unordered rows, mixed zones and Unix times", write("sloppy.csv", []byte("\xef\xbb\xbfcase_id,touchpoint,timestamp,note\r\nc1,cart,2024-05-01T12:05:00+02:00,\"a, \"\"b\"\"\"\r\nc1,product,1714557600,x\r\nc1,product,1714557600000,dup\r\n")), "", false, true},
	}
}

func TestHostileInputs(t *testing.T) {
	for _, tc := range hostileInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", tc.file}
			if tc.validate {
				args = []string{"validate", tc.file}
			}
			start := time.Now()
			code, _, errOut := runCmd(args...)
			assert.Less(t, time.Since(start), 10*time.Second)
			assert.NotContains(t, errOut, "goroutine", "no stack trace")
			assert.NotContains(t, errOut, "panic")
			if tc.ok {
				assert.Equal(t, 0, code, errOut)
				if strings.Contains(tc.name, "Unix") {
					_, out, _ := runCmd(args...)
					assert.Contains(t, out, "(1 replayed events duplicate the one before", "the two product rows, in seconds and in milliseconds, are one instant")
				}
				return
			}
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, tc.want)
			assert.Less(t, len(errOut), 4096, "the message stays short:\n%s", errOut)
		})
	}
}
