package app

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestAttachmentHashes(t *testing.T) {
	sha := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	for _, c := range []struct {
		typ, data string
		want      []string
	}{
		{TypeComplaintFiled, `{"attachments":[]}`, nil},
		{TypeComplaintFiled, `{"attachments":[{"media_type":"image/png","name":"a.png","sha256":"` + sha + `","size":3}]}`, []string{sha}},
		{TypeCitizenRegistered, `{"attachments":[{"sha256":"` + sha + `"}]}`, nil},
		{TypeComplaintFiled, `{"description":"\"sha256\" yazdı","attachments":[]}`, []string{}},
	} {
		r := Record{Type: c.typ, Data: json.RawMessage(c.data)}
		if got := r.AttachmentHashes(); !slices.Equal(got, c.want) {
			t.Errorf("%s %s: %v, want %v", c.typ, c.data, got, c.want)
		}
	}
}
