package authtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/auth/authtest"
)

func TestSessionsOfEveryRole(t *testing.T) {
	tm := authtest.New(t, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	for _, r := range auth.Roles {
		s := tm.Session(r)
		if err := auth.Require(context.Background(), s, r); err != nil || s.Role() != r {
			t.Errorf("%s session: %v", r, err)
		}
	}
	tm.Clock.Add(time.Hour) // the admin's own session has locked meanwhile
	if s := tm.Session(app.RoleClerk); s.State() != auth.SessionActive {
		t.Errorf("clerk session %v", s.State())
	}
}
