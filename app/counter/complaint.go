package counter

import (
	"context"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

// FileComplaint records a complaint or request that arrived on paper or at
// the counter; the store gives it its tracking code.
func (s *Service) FileComplaint(ctx context.Context, sess *auth.Session, c *app.Complaint) error {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return err
	}
	if c.Channel == app.ChannelSelfService {
		return app.FieldError("channel", "Self-servis kanalı yalnızca vatandaşın kendi başvurusu içindir.")
	}
	return s.Store.FileComplaint(ctx, sess.Actor(), c)
}

// Attach stores a scanned file for a complaint being written.
func (s *Service) Attach(ctx context.Context, sess *auth.Session, name string, data []byte) (app.Attachment, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return app.Attachment{}, err
	}
	return s.Store.SaveAttachment(ctx, name, data)
}

// Track returns a complaint by its tracking code with the statuses pulled
// from the central. Anyone at the counter may ask; so may the kiosk.
func (s *Service) Track(ctx context.Context, sess *auth.Session, code string) (*app.Complaint, []app.StatusChange, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return nil, nil, err
	}
	tc, err := app.ParseTrackingCode(code)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.Store.ComplaintByTrackingCode(ctx, tc)
	if err != nil {
		return nil, nil, err
	}
	hist, err := s.Store.ComplaintHistory(ctx, c.ID)
	return c, hist, err
}

// Recent returns this terminal's latest complaints for the home screen.
func (s *Service) Recent(ctx context.Context, sess *auth.Session, limit int) ([]*app.Complaint, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return nil, err
	}
	return s.Store.RecentComplaints(ctx, limit)
}
