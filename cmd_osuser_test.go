package main

import (
	"os/user"
	"testing"
)

// TestOSUserNamesWhoRanSudo: under sudo the audit names the person who ran
// it beside the account; a name that is no account here is not repeated.
func TestOSUserNamesWhoRanSudo(t *testing.T) {
	me, err := user.Current()
	if err != nil {
		t.Skip(err)
	}
	other := "daemon" // on every Debian system
	if _, err := user.Lookup(other); err != nil || other == me.Username {
		t.Skip("no second account to be")
	}
	for _, c := range []struct{ sudo, want string }{
		{"", me.Username},
		{other, me.Username + " sudo:" + other},
		{me.Username, me.Username},
		{"no-such-person-here", me.Username},
	} {
		t.Setenv("SUDO_USER", c.sudo)
		if got := osUser(); got != c.want {
			t.Errorf("SUDO_USER=%q: %q, want %q", c.sudo, got, c.want)
		}
	}
}
