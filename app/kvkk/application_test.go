package kvkk_test

import (
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/kvkk"
)

func TestParseApplication(t *testing.T) {
	now := time.Date(2026, 11, 28, 15, 0, 0, 0, time.FixedZone("+03", 3*3600))
	ok := kvkk.ApplicationInput{Rights: []kvkk.Right{kvkk.RightErase, kvkk.RightInfo}, Detail: "  Verilerimin silinmesini istiyorum. ",
		ReplyChannel: kvkk.ReplyEmail, ReplyAddress: " Ayse@Ornek.com.tr "}
	tests := []struct {
		name  string
		edit  func(*kvkk.ApplicationInput)
		field string // "" when valid
	}{
		{"valid", func(*kvkk.ApplicationInput) {}, ""},
		{"no right", func(in *kvkk.ApplicationInput) { in.Rights = nil }, "rights"},
		{"unknown right", func(in *kvkk.ApplicationInput) { in.Rights = []kvkk.Right{"forget_me"} }, "rights"},
		{"empty detail", func(in *kvkk.ApplicationInput) { in.Detail = "   " }, "detail"},
		{"long detail", func(in *kvkk.ApplicationInput) { in.Detail = string(make([]rune, 4001)) }, "detail"},
		{"bad e-mail", func(in *kvkk.ApplicationInput) { in.ReplyAddress = "ayse@" }, "reply_address"},
		{"short postal address", func(in *kvkk.ApplicationInput) { in.ReplyChannel, in.ReplyAddress = kvkk.ReplyPost, "Lale" }, "reply_address"},
		{"postal", func(in *kvkk.ApplicationInput) {
			in.ReplyChannel, in.ReplyAddress = kvkk.ReplyPost, "Hoşdere Mah. Lale Sok. No: 7 Kocasinan"
		}, ""},
		{"in person, no address", func(in *kvkk.ApplicationInput) { in.ReplyChannel, in.ReplyAddress = kvkk.ReplyInPerson, "" }, ""},
		{"no channel", func(in *kvkk.ApplicationInput) { in.ReplyChannel = "" }, "reply_channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			in.Rights = append([]kvkk.Right(nil), ok.Rights...)
			tt.edit(&in)
			_, err := kvkk.ParseApplication(in, "c-1", now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != tt.field {
				t.Fatalf("got %v (field %q), want an invalid %s", err, app.ErrorField(err), tt.field)
			}
		})
	}
	a, err := kvkk.ParseApplication(ok, "c-1", now)
	if err != nil {
		t.Fatal(err)
	}
	if a.Detail != "Verilerimin silinmesini istiyorum." || a.ReplyAddress != "Ayse@ornek.com.tr" ||
		len(a.Rights) != 2 || a.Rights[0] != kvkk.RightInfo {
		t.Errorf("normalised: %+v", a)
	}
	if want := time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC); !a.DueDate.Equal(want) {
		t.Errorf("due %v, want %v", a.DueDate, want)
	}
	if a.Overdue(now.AddDate(0, 0, 30)) || !a.Overdue(now.AddDate(0, 0, 31)) {
		t.Error("overdue only after the due date")
	}
	a.AnsweredAt = now
	if a.Overdue(now.AddDate(1, 0, 0)) {
		t.Error("an answered application is never overdue")
	}
}
