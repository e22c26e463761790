package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

// queueOnly is the sync control of a terminal that is not linked to a
// central, as main builds it: the real store's counts, no worker.
type queueOnly struct{ store *sqlite.Store }

func (q queueOnly) View(ctx context.Context) (SyncView, error) {
	c, err := q.store.OutboxCounts(ctx)
	return SyncView{Pending: c.PendingTotal, Conflicts: c.Conflict, Rejected: c.Rejected}, err
}

func (queueOnly) SyncNow() {}

// Home is live: a request filed is in the list and the day's counts when the
// clerk comes back, an empty list says so in words, and the queue figure is
// the badge's.
func TestHomeShowsTheDayAsItHappens(t *testing.T) {
	r := newRig(t)
	r.with(func(s *Services) { s.Sync = queueOnly{r.tm.Store} })
	r.login(app.RoleClerk)
	home := r.k.home
	if strings.Contains(home.recent.Text, "0") || !strings.Contains(home.recent.Text, "henüz") {
		t.Errorf("empty recent list reads %q", home.recent.Text)
	}
	if !strings.Contains(home.summary.Text, "0 başvuru") {
		t.Errorf("day summary %q", home.summary.Text)
	}
	c := r.registeredCitizen()
	r.k.complaint.begin(c)
	r.k.show(screenComplaint)
	s := r.k.complaint
	s.kind.SetSelectedIndex(1)
	s.category.SetSelectedIndex(0)
	r.typeInto(s.description, "Sokak lambası yanmıyor.")
	s.onPaper.SetChecked(false)
	r.tap(s.save)
	code := s.code.Text
	if code == "" {
		t.Fatalf("not saved: %q", s.errs.Text)
	}
	r.k.shortcuts["CustomDesktop:Control+H"]()
	r.k.Wait()
	if !strings.Contains(home.recent.Text, code) {
		t.Errorf("the request just filed (%s) is not in the list: %q", code, home.recent.Text)
	}
	if !strings.Contains(home.summary.Text, "1 başvuru (1 talep) ·") {
		t.Errorf("day summary after one request: %q", home.summary.Text)
	}
	pending := r.count(`SELECT COUNT(*) FROM outbox WHERE state = 'pending'`)
	for _, text := range []string{home.queue.Text} {
		if !strings.Contains(text, itoa(pending)) {
			t.Errorf("queue figure %q, %d pending in the store", text, pending)
		}
	}
	r.k.shortcuts["CustomDesktop:Control+4"]()
	r.k.Wait()
	r.tap(r.k.syncPanel.now)
	if strings.Contains(r.k.syncPanel.note.Text, "başlatıldı") || !strings.Contains(r.k.syncPanel.note.Text, "bağlı değil") {
		t.Errorf("sync now without a central says %q", r.k.syncPanel.note.Text)
	}
	if !strings.Contains(r.k.syncPanel.state.Text, itoa(pending)) {
		t.Errorf("sync screen %q, %d pending", r.k.syncPanel.state.Text, pending)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// The bar warns before a full disk stops the writes: free space under the
// floor is said on the warning line, and the line goes when there is room.
func TestBarWarnsOfALowDisk(t *testing.T) {
	r := newRig(t)
	free := uint64(300 << 20)
	r.k.svc.DiskSpace = func() (uint64, uint64) { return free, 500 << 20 }
	r.login(app.RoleClerk)
	r.k.shell.tick()
	if w := r.k.shell.warning; w.Hidden || !strings.Contains(w.Text, "300 MB") {
		t.Fatalf("low disk: warning %q (hidden %v)", w.Text, w.Hidden)
	}
	free = 2 << 30
	r.k.shell.tick()
	if w := r.k.shell.warning; !w.Hidden {
		t.Fatalf("room again: warning %q still shown", w.Text)
	}
}

// waitingCentral is the sync control of a terminal whose central answered
// 429 with a Retry-After: what the worker's status says then.
type waitingCentral struct {
	queueOnly
	until time.Time
	asked *int
}

func (w waitingCentral) View(ctx context.Context) (SyncView, error) {
	v, err := w.queueOnly.View(ctx)
	v.Configured, v.Online, v.QuietUntil, v.NextAttempt = true, true, w.until, w.until
	return v, err
}

func (w waitingCentral) SyncNow() { *w.asked++ }

// "Şimdi gönder" during a wait the central asked for says until when, and
// does not claim a round started.
func TestSyncNowKeepsTheCentralsWait(t *testing.T) {
	r := newRig(t)
	asked := 0
	until := time.Now().Add(90 * time.Second)
	r.with(func(s *Services) { s.Sync = waitingCentral{queueOnly{r.tm.Store}, until, &asked} })
	r.login(app.RoleClerk)
	r.k.show(screenSync)
	s := r.k.syncPanel
	r.tap(s.now)
	if asked != 0 {
		t.Errorf("a round was asked for inside the central's wait")
	}
	if want := until.Local().Format("15:04:05"); !strings.Contains(s.note.Text, want) || !strings.Contains(s.note.Text, "beklenmesini") {
		t.Errorf("the note reads %q, want the end of the wait %s", s.note.Text, want)
	}
}
