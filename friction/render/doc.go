// Package render draws a friction.Report for the people who read it: Text
// for a terminal (TextWidth to wrap at a terminal's width), Markdown with a
// Mermaid journey map, Mermaid and DOT for the map alone, and HTML, one
// self-contained page (no script, no server: it works offline and prints).
// JSON is the report's own stable form (friction.Report.WriteJSON),
// offered here beside the others for a program that picks one by name.
//
// Every rendering tells the same numbers in the same words (package
// internal/prose writes them), names touchpoints by name, and says "not
// enough evidence" wherever the report lists a check it could not make.
// Names from a log are escaped once per format (internal/diagram for the
// maps), so no event name can inject markup.
//
// Each function reads the report and writes to w; it is O(T + R + F) for
// T touchpoints, R transitions and F findings, and safe to call from many
// goroutines on one report.
package render
