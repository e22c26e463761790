package counter

import (
	"context"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/kvkk"
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

// Tracked is what a tracking code leads to: a complaint or request with the
// statuses pulled from the central, or a KVKK (art. 11) application with its
// deadline. Exactly one of Complaint and Application is set.
type Tracked struct {
	Complaint   *app.Complaint
	History     []app.StatusChange
	Application *kvkk.Application
}

// Track looks a tracking code up: a complaint's, or a KVKK application's,
// whose receipt tells the citizen to quote it at any counter. ENOTFOUND when
// this terminal recorded neither. Anyone at the counter may ask.
func (s *Service) Track(ctx context.Context, sess *auth.Session, code string) (Tracked, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return Tracked{}, err
	}
	tc, err := app.ParseTrackingCode(code)
	if err != nil {
		return Tracked{}, err
	}
	c, err := s.Store.ComplaintByTrackingCode(ctx, tc)
	if app.ErrorCode(err) == app.ENOTFOUND {
		a, aerr := s.Store.ApplicationByTrackingCode(ctx, tc)
		if aerr != nil {
			return Tracked{}, aerr
		}
		return Tracked{Application: a}, nil
	}
	if err != nil {
		return Tracked{}, err
	}
	hist, err := s.Store.ComplaintHistory(ctx, c.ID)
	return Tracked{Complaint: c, History: hist}, err
}

// Today counts what this terminal recorded since midnight, for the home
// screen's day at a glance.
func (s *Service) Today(ctx context.Context, sess *auth.Session) (app.DayCounts, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return app.DayCounts{}, err
	}
	now := s.Now()
	y, m, d := now.Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, now.Location()) // the terminal's midnight
	return s.Store.DayCounts(ctx, from, from.AddDate(0, 0, 1))
}

// Recent returns this terminal's latest complaints for the home screen.
func (s *Service) Recent(ctx context.Context, sess *auth.Session, limit int) ([]*app.Complaint, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return nil, err
	}
	return s.Store.RecentComplaints(ctx, limit)
}
