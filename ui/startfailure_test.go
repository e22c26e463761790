package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kocasinan/gise/app"
)

func TestStartFailureSaysWhatToDo(t *testing.T) {
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	t.Cleanup(func() { setLanguage("tr") })
	for _, tc := range []struct {
		lang string
		err  error
		want string
	}{
		{"tr", app.KeyMissing(errors.New("stat terminal.key: no such file")), "gise key restore --from"},
		{"tr", app.Damaged(errors.New("Page 5: btreeInitPage() returns error code 11")), "gise restore --from"},
		{"en", app.Damaged(nil), "The database file is damaged"},
	} {
		quit := false
		ShowStartFailure(a, w, tc.lang, tc.err, func() { quit = true })
		s := newStartFailure(tc.err, func() { quit = true })
		if !strings.Contains(s.message.Text, tc.want) || strings.Contains(s.message.Text, "Page 5") {
			t.Errorf("%s: the screen says %q, want %q and no internal detail", tc.lang, s.message.Text, tc.want)
		}
		if !strings.Contains(s.code.Text, app.ErrorCode(tc.err)) {
			t.Errorf("%s: no error code for IT: %q", tc.lang, s.code.Text)
		}
		test.Tap(s.quit)
		if !quit {
			t.Errorf("%s: the button does not close", tc.lang)
		}
	}
}
