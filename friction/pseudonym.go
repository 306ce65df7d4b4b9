package friction

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Pseudonymizer returns a function that replaces a case id by its keyed
// hash: "p-" and the first 16 bytes of HMAC-SHA256(key, id) in hex. The
// same key gives the same pseudonym for the same case in every report, so
// reports can still be joined; without the key, the id cannot be
// recovered or confirmed by guessing.
func Pseudonymizer(key []byte) func(string) string {
	return func(id string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(id))
		return "p-" + hex.EncodeToString(m.Sum(nil)[:16])
	}
}
