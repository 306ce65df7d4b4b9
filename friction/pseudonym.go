package friction

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// MinKeyBytes is the shortest key Pseudonymizer accepts: with a shorter
// one, ids (often short and guessable) can be recovered by trying keys.
const MinKeyBytes = 16

// Pseudonymizer returns a function that replaces a case id by its keyed
// hash: "p-" and the first 16 bytes of HMAC-SHA256(key, id) in hex. The
// same key gives the same pseudonym for the same case in every report, so
// reports can still be joined; without the key, the id cannot be
// recovered or confirmed by guessing. A key shorter than MinKeyBytes is an
// error.
func Pseudonymizer(key []byte) (func(string) string, error) {
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("a pseudonymization key of %d bytes is too short to keep ids secret: use at least %d random bytes (such as 32 hex digits from a password manager)", len(key), MinKeyBytes)
	}
	return func(id string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(id))
		return "p-" + hex.EncodeToString(m.Sum(nil)[:16])
	}, nil
}
