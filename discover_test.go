package journeymap_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/discover"
	"github.com/journeymap/journeymap/eventlog"
)

// Discover follows each case's path where every case is in time order,
// and reads the file again keeping every event where one is not: either
// way it finds what discovery keeping every event finds, and counts each
// row once.
func TestDiscoverAnyOrder(t *testing.T) {
	logs := map[string]string{
		"in-order.csv": "case_id,touchpoint,timestamp\n" +
			"c1,home,2024-05-01T10:00:00Z\nc2,home,2024-05-01T10:01:00Z\nc1,cart,2024-05-01T10:02:00Z\n" +
			"c2,cart,2024-05-01T10:02:00Z\nbroken row\nc1,paid,2024-05-01T10:05:00Z\nc2,cart,2024-05-01T10:09:00Z\n",
		// c1's last event comes first in the file: only keeping every
		// event orders it.
		"back-in-time.csv": "case_id,touchpoint,timestamp\n" +
			"c1,paid,2024-05-01T10:05:00Z\nc2,home,2024-05-01T10:01:00Z\nc1,home,2024-05-01T10:00:00Z\n" +
			"c2,cart,2024-05-01T10:02:00Z\nbroken row\nc1,cart,2024-05-01T10:02:00Z\nc2,cart,2024-05-01T10:09:00Z\n",
		"back-in-time.jsonl": `{"case_id":"c1","touchpoint":"paid","timestamp":"2024-05-01T10:05:00Z"}
{"case_id":"c2","touchpoint":"home","timestamp":"2024-05-01T10:01:00Z"}
{"case_id":"c1","touchpoint":"home","timestamp":"2024-05-01T10:00:00Z"}
{"case_id":"c2","touchpoint":"cart","timestamp":"2024-05-01T10:02:00Z"}
{"case_id":"c1","touchpoint":"cart"}
{"case_id":"c1","touchpoint":"cart","timestamp":"2024-05-01T10:02:00Z"}
{"case_id":"c2","touchpoint":"cart","timestamp":"2024-05-01T10:09:00Z"}
`,
	}
	dir := t.TempDir()
	var found []*discover.Discovery
	for name, content := range logs {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		d, stats, err := journeymap.Discover(context.Background(), path, journeymap.Options{})
		require.NoError(t, err, name)
		assert.Equal(t, int64(7), stats.Rows, name)
		assert.Equal(t, int64(1), stats.Malformed, name)

		r, err := eventlog.Open(path, eventlog.Options{})
		require.NoError(t, err)
		want, err := discover.Run(context.Background(), journeymapEvents(r), discover.Options{})
		r.Close()
		require.NoError(t, err)
		assert.Equal(t, want, d, name)
		found = append(found, d)
	}
	for _, d := range found {
		assert.Equal(t, []discover.Variant{{Path: []string{"home", "cart", "cart"}, Cases: 1}, {Path: []string{"home", "cart", "paid"}, Cases: 1}}, d.Variants)
		assert.Equal(t, map[string]int64{"cart": 1}, d.Rework)
	}
}
