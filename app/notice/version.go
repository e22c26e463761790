// Package notice holds the disclosure notice (KVKK Aydınlatma Metni) as data:
// its versions in Turkish and English, which one is in force on a given day,
// and the visit-level rule that a citizen is registered only after the notice
// was given to them in that visit.
package notice

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
)

// Languages the notice is kept in.
const (
	Turkish = "tr"
	English = "en"
)

// Version is one version of the notice in one language. Its identity is the
// SHA-256 of Text, computed over the exact UTF-8 bytes: the hash printed on
// paper and stored with each acknowledgement proves which words were given.
type Version struct {
	Number        int
	Language      string // "tr" or "en"
	Text          string
	SHA256        string    // hex, lower case
	EffectiveFrom time.Time // midnight UTC of the first day it is in force; zero for the built-in version
}

// Hash returns the hex SHA-256 of text's exact UTF-8 bytes.
func Hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// New returns the version with its hash computed from text.
func New(number int, language, text string, effectiveFrom time.Time) Version {
	return Version{Number: number, Language: language, Text: text, SHA256: Hash(text), EffectiveFrom: effectiveFrom}
}

// ShortHash returns the first 16 hex digits of the hash in groups of four,
// "1a2b 3c4d 5e6f 7a8b": enough to tell versions apart on paper at a glance.
func (v Version) ShortHash() string {
	if len(v.SHA256) < 16 {
		return v.SHA256
	}
	h := v.SHA256[:16]
	return h[0:4] + " " + h[4:8] + " " + h[8:12] + " " + h[12:16]
}

// Validate checks the number, the language and that the hash is the hash of
// the text. A version from the central whose text does not match its hash is
// never shown: the citizen would be given words nobody can prove.
func (v Version) Validate() error {
	if v.Number < 1 {
		return app.Errorf(app.EINVALID, "Aydınlatma metninin sürüm numarası geçersiz (%d).", v.Number)
	}
	if v.Language != Turkish && v.Language != English {
		return app.Errorf(app.EINVALID, "Aydınlatma metninin dili bilinmiyor (%q); yalnızca tr ve en kullanılır.", v.Language)
	}
	if v.Text == "" {
		return app.Errorf(app.EINVALID, "Aydınlatma metni sürüm %d (%s) boş.", v.Number, v.Language)
	}
	if Hash(v.Text) != v.SHA256 {
		return app.Errorf(app.EINVALID, "Aydınlatma metni sürüm %d (%s) özetiyle uyuşmuyor; merkezden yeniden alınmalı.", v.Number, v.Language)
	}
	return nil
}

// Ack returns the acknowledgement of this version delivered as d, with the
// CUPS job that printed it ("" when shown on screen).
func (v Version) Ack(d app.NoticeDelivery, printJob string) *app.NoticeAck {
	return &app.NoticeAck{Version: v.Number, SHA256: v.SHA256, Language: v.Language, Delivery: d, PrintJob: printJob}
}

// String names the version for logs and print titles: "aydınlatma metni v1 (tr)".
func (v Version) String() string {
	return fmt.Sprintf("aydınlatma metni v%d (%s)", v.Number, v.Language)
}
