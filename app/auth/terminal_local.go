package auth

import (
	"context"

	"github.com/kocasinan/gise/app"
)

// SaveTerminalEnrolmentLocal is SaveTerminalEnrolment for whoever runs
// `gise enrol` on the terminal: an operating-system account that holds the
// terminal's files, and so its key, anyway. It is audited as
// "cli:<osUser>" with the admin role; same checks and error codes.
func (s *Service) SaveTerminalEnrolmentLocal(ctx context.Context, osUser string, e TerminalEnrolment) error {
	if osUser == "" {
		osUser = "unknown"
	}
	sess := s.newSession(Account{Username: "cli:" + osUser, Role: app.RoleAdmin})
	defer sess.end()
	return s.SaveTerminalEnrolment(ctx, sess, e)
}
