package eventlog

import (
	"fmt"
	"strings"
	"time"
)

// timeLayout turns a time format in the strftime notation analysts know
// from Python, R and SQL (%d/%m/%Y %H:%M) into a Go layout.
//
// Directives: %Y %y %m %d %e %H %I %M %S %f (fraction, after . or ,) %p
// %b %B %a %A %j %z (+0100) %:z (+01:00) %Z (zone name) %T %F %D %%. Between
// directives any text stands for itself, except letters and digits (other
// than T and Z), which Go's layouts would read as fields of their own.
func timeLayout(format string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			if c >= '0' && c <= '9' || (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && c != 'T' && c != 'Z' {
				return "", fmt.Errorf("time format %q: the literal %q would be read as a field; only punctuation, spaces, T and Z may stand between directives", format, string(c))
			}
			b.WriteByte(c)
			continue
		}
		if i+1 == len(format) {
			return "", fmt.Errorf("time format %q ends with a lone %%: write %%%% for a percent sign", format)
		}
		i++
		d := format[i]
		if d == ':' && i+1 < len(format) && format[i+1] == 'z' {
			i++
			b.WriteString("-07:00")
			continue
		}
		lay, ok := map[byte]string{
			'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2", 'H': "15", 'I': "03", 'M': "04", 'S': "05",
			'p': "PM", 'b': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday", 'j': "002",
			'z': "-0700", 'Z': "MST", 'T': "15:04:05", 'F': "2006-01-02", 'D': "01/02/06", '%': "%",
		}[d]
		if d == 'f' {
			if b.Len() == 0 || !strings.HasSuffix(b.String(), ".") && !strings.HasSuffix(b.String(), ",") {
				return "", fmt.Errorf("time format %q: %%f (a fraction of a second) must follow a . or ,", format)
			}
			lay, ok = "999999999", true
		}
		if !ok {
			return "", fmt.Errorf("time format %q: unknown directive %%%c (known: %%Y %%y %%m %%d %%e %%H %%I %%M %%S %%f %%p %%b %%B %%a %%A %%j %%z %%:z %%Z %%T %%F %%D %%%%)", format, d)
		}
		b.WriteString(lay)
	}
	return b.String(), nil
}

// parseLayout parses s with a Go layout; a time without a zone is in loc.
func parseLayout(layout, s string, loc *time.Location) (int64, bool) {
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil || t.Year() < 1678 || t.Year() > 2261 {
		return 0, false
	}
	if loc != time.UTC {
		// A wall-clock time the zone's clocks skipped comes back moved:
		// read as UTC, its fields must be the same.
		w, _ := time.Parse(layout, s)
		if _, off := w.Zone(); off == 0 && w.Location() == time.UTC {
			lt := t.In(loc)
			if lt.Hour() != w.Hour() || lt.Minute() != w.Minute() || lt.Day() != w.Day() {
				return 0, false
			}
		}
	}
	return t.UnixNano(), true
}
