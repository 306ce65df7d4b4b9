package friction

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// WriteJSON writes r in its stable JSON form: indented, keys in a fixed
// order (struct fields as declared, map keys sorted), numbers rounded. The
// same report gives the same bytes.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// ReadJSON reads a report written by WriteJSON (for Compare and diff).
func ReadJSON(rd io.Reader) (*Report, error) {
	var r Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return nil, errors.New("not a whole journeymap report: the JSON ends early (a file cut short, or empty); write it again with journeymap analyze --format json")
		case errors.As(err, &syn):
			return nil, fmt.Errorf("not a journeymap report: the JSON is broken at byte %d (%v); write it with journeymap analyze --format json", syn.Offset, err)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("not a journeymap report: %q holds a %s where a report has %s; write it with journeymap analyze --format json", typ.Field, typ.Value, typ.Type)
		}
		return nil, fmt.Errorf("not a journeymap report: %w", err)
	}
	if r.Journey.ID == "" {
		return nil, fmt.Errorf("not a journeymap report: it has no journey.id (write one with Report.WriteJSON, or journeymap analyze --format json)")
	}
	return &r, nil
}
