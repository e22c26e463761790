package assets

import _ "embed"

// NoticeV1TR is version 1 of the disclosure notice (KVKK Aydınlatma Metni),
// the municipality's Turkish text exactly as it gave it, byte for byte: its
// SHA-256 is the version's identity, so not even a trailing space may change.
//
//go:embed notice/aydinlatma-metni.tr.txt
var NoticeV1TR string

// NoticeV1EN is the English translation of NoticeV1TR, for citizens who do
// not read Turkish.
//
//go:embed notice/aydinlatma-metni.en.txt
var NoticeV1EN string
