package graphmodel

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// TokenPrefix starts every API token: cc_<id>_<secret>.
const TokenPrefix = "cc_"

// NewToken makes a token id and secret; the full token shown once to the
// user is TokenPrefix + id + "_" + secret. Only HashSecret(secret) is stored.
func NewToken() (id, secret, full string) {
	b := make([]byte, 6)
	rand.Read(b)
	id = hex.EncodeToString(b)
	s := make([]byte, 32)
	rand.Read(s)
	secret = base64.RawURLEncoding.EncodeToString(s)
	return id, secret, TokenPrefix + id + "_" + secret
}

// HashSecret returns the stored form of a token secret or session id.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// ParseToken splits a full token into id and secret.
func ParseToken(full string) (id, secret string, ok bool) {
	rest, found := strings.CutPrefix(full, TokenPrefix)
	if !found {
		return "", "", false
	}
	id, secret, ok = strings.Cut(rest, "_")
	if !ok || len(id) != 12 || len(secret) < 20 {
		return "", "", false
	}
	return id, secret, true
}

// SecretMatches compares a secret with a stored hash in constant time.
func SecretMatches(secret, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashSecret(secret)), []byte(hash)) == 1
}
