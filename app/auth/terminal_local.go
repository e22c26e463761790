package auth

import (
	"context"

	"github.com/kocasinan/gise/app"
)

// SaveTerminalEnrolmentLocal is SaveTerminalEnrolment for whoever runs
// `gise enrol` on the terminal: an operating-system account that holds the
// terminal's files, and so its key, anyway. No session is made for it (a
// session stands for an account, which a shell user is not); the save is
// audited as "cli:<osUser>" with the admin role; same checks and error codes.
func (s *Service) SaveTerminalEnrolmentLocal(ctx context.Context, osUser string, e TerminalEnrolment) error {
	if osUser == "" {
		osUser = "unknown"
	}
	return s.saveEnrolment(ctx, app.Actor{Username: "cli:" + osUser, Role: app.RoleAdmin}, e)
}
