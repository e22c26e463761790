package app_test

import (
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
)

func TestSortTRIsTurkishAlphabeticalOrder(t *testing.T) {
	names := []string{"Zafer", "Çankaya", "İnönü", "Cumhuriyet", "Işık", "Ilıca", "Gültepe", "Ğ", "Sahabiye", "Şeker", "Obruk", "Özvatan", "Uzun", "Üçtepe"}
	app.SortTR(names, func(s string) []string { return []string{s} })
	want := "Cumhuriyet Çankaya Gültepe Ğ Ilıca Işık İnönü Obruk Özvatan Sahabiye Şeker Uzun Üçtepe Zafer"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
