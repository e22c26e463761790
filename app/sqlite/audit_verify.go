package sqlite

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
)

// chainWalk is one VerifyAudit run: what it has seen so far.
type chainWalk struct {
	s   *Store
	rep *app.AuditReport

	anchorSeq int64
	prev      string // hash of the event before the next one
	keys      map[byte][]byte
	destroyed string // object of the newest audit.destroyed event
	ackedHash string // the chain's hash at the acknowledged sequence, once walked
	box       *outboxAudit
}

// VerifyAudit implements app.AuditStore: it walks the chain from its anchor
// and names the first event whose link fails, then holds the chain against
// what it cannot be made to agree with without the terminal key: the
// keyed-from marker, the anchor's audit.destroyed event, the head the
// central acknowledged and the sealed audit.event records of the outbox.
func (s *Store) VerifyAudit(ctx context.Context) (app.AuditReport, error) {
	var rep app.AuditReport
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("verify audit: %w", err)
	}
	defer tx.Rollback()
	c := &chainWalk{s: s, rep: &rep, keys: map[byte][]byte{}}
	if err := c.bookkeeping(ctx, tx); err != nil || !rep.OK() {
		return rep, err
	}
	if c.box, err = openOutboxAudit(ctx, tx, s); err != nil {
		return rep, fmt.Errorf("verify audit: %w", err)
	}
	defer c.box.close()
	if err := c.walk(ctx, tx); err != nil || !rep.OK() {
		return rep, err
	}
	c.finish()
	return rep, nil
}

// fail records the first problem; later ones are not looked for.
func (c *chainWalk) fail(seq int64, format string, args ...any) {
	if c.rep.OK() {
		c.rep.BrokenSeq, c.rep.Problem = seq, fmt.Sprintf(format, args...)
	}
}

// key returns the audit subkey of terminal key id, derived once a run.
func (c *chainWalk) key(id byte) ([]byte, error) {
	if k, ok := c.keys[id]; ok {
		return k, nil
	}
	k, err := c.s.auditKey(id)
	if err == nil {
		c.keys[id] = k
	}
	return k, err
}

// checkMAC reports whether mac is the MAC of a bookkeeping row under key id.
func (c *chainWalk) checkMAC(id byte, purpose string, seq int64, hash, mac string) bool {
	k, err := c.key(id)
	return err == nil && k != nil && hmac.Equal([]byte(app.AuditMAC(k, purpose, seq, hash)), []byte(mac))
}

// bookkeeping reads the anchor, the keyed-from marker and the acknowledged
// head, and checks the MACs of the last two.
func (c *chainWalk) bookkeeping(ctx context.Context, tx *sql.Tx) error {
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_anchor WHERE id = 1`).Scan(&c.anchorSeq, &c.prev); err != nil {
		return fmt.Errorf("verify audit: %w", err)
	}
	if c.anchorSeq == 0 && c.prev != app.GenesisHash {
		c.fail(0, "the anchor's hash was changed (a chain from its start must begin at the genesis hash)")
	}
	var keyID byte
	var mac string
	err := tx.QueryRowContext(ctx, `SELECT from_seq, mac_key, mac FROM audit_keyed WHERE id = 1`).Scan(&c.rep.KeyedFrom, &keyID, &mac)
	switch {
	case err == sql.ErrNoRows:
		c.fail(0, "the keyed-from marker was removed (it says from which event links need the terminal key)")
	case err != nil:
		return fmt.Errorf("verify audit: %w", err)
	case !c.checkMAC(keyID, macKeyedFrom, c.rep.KeyedFrom, "", mac):
		c.fail(c.rep.KeyedFrom, "the keyed-from marker was changed (its MAC does not match)")
	}
	a := &c.rep.Acked
	err = tx.QueryRowContext(ctx, `SELECT seq, hash, mac_key, mac FROM audit_acked WHERE id = 1`).Scan(&a.Seq, &a.Hash, &keyID, &mac)
	switch {
	case err == sql.ErrNoRows:
		c.fail(0, "the head the central acknowledged was removed (the store keeps one from its first start, sequence 0 until a delivery)")
	case err != nil:
		return fmt.Errorf("verify audit: %w", err)
	case !c.checkMAC(keyID, macAcked, a.Seq, a.Hash, mac):
		c.fail(a.Seq, "the head the central acknowledged was changed (its MAC does not match)")
	}
	return nil
}

// walk checks every event against the one before it, in order.
func (c *chainWalk) walk(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	rep := c.rep
	want := c.anchorSeq + 1
	rep.FirstSeq = want
	var last app.AuditEvent
	for rows.Next() && rep.OK() {
		e, err := scanAuditEvent(rows)
		if err != nil {
			return fmt.Errorf("verify audit: %w", err)
		}
		rep.Events++
		c.event(&e, want, last.At)
		rep.LastSeq, c.prev, want, last = e.Seq, e.Hash, e.Seq+1, e
	}
	return rows.Err()
}

// event checks one event: its link, that it is keyed when it must be, its
// outbox record; and notes its time and what the later checks need.
func (c *chainWalk) event(e *app.AuditEvent, want int64, prevAt time.Time) {
	key, err := c.key(e.MACKey)
	switch {
	case err != nil:
		c.fail(e.Seq, "terminal key %d, which linked this event, is not in the key file", e.MACKey)
		return
	case e.MACKey == 0 && e.Seq >= c.rep.KeyedFrom:
		c.fail(e.Seq, "the event is not keyed, but every event from %d is (it was rewritten without the terminal key)", c.rep.KeyedFrom)
		return
	}
	if problem := app.CheckLink(e, c.prev, want, key); problem != "" {
		c.fail(e.Seq, "%s", problem)
		return
	}
	c.rep.NoteTime(e, prevAt)
	if e.Action == "audit.destroyed" {
		c.destroyed = e.Object
	}
	if e.Seq == c.rep.Acked.Seq {
		c.ackedHash = e.Hash
	}
	c.box.compare(c, e)
}

// finish checks what only the whole chain can show: the anchor names the
// newest destruction, the chain reaches the acknowledged head and agrees
// with it, and no outbox record holds an event the chain lacks.
func (c *chainWalk) finish() {
	rep := c.rep
	if c.anchorSeq > 0 && c.destroyed != fmt.Sprintf("through-seq-%d", c.anchorSeq) {
		c.fail(c.anchorSeq+1, "the anchor was moved to %d without the retention path (the newest audit.destroyed event names %q)",
			c.anchorSeq, c.destroyed)
	}
	if a := rep.Acked; a.Seq > 0 {
		switch {
		case a.Seq > rep.LastSeq:
			c.fail(a.Seq, "the chain ends at %d, before the head the central acknowledged (seq %d, hash %s): newer events were removed",
				rep.LastSeq, a.Seq, a.Hash)
		case a.Seq >= rep.FirstSeq && c.ackedHash != a.Hash:
			c.fail(a.Seq, "the event differs from the head the central acknowledged (seq %d, hash %s)", a.Seq, a.Hash)
		}
	}
	c.box.rest(c)
}

// outboxAudit walks the outbox's queued and delivered audit.event records
// in event order beside the chain. Their payloads are sealed with the
// terminal key and bound to their record ids, so they are copies of the
// events that cannot be rewritten without it.
type outboxAudit struct {
	rows *sql.Rows
	s    *Store
	next *boxEvent
	err  error
}

type boxEvent struct {
	id  string
	seq int64
	app.AuditEventData
}

func openOutboxAudit(ctx context.Context, tx *sql.Tx, s *Store) (*outboxAudit, error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.id, o.subject, p.data FROM outbox o JOIN outbox_payloads p ON p.seq = o.seq
		WHERE o.type = 'audit.event' AND o.state IN ('pending', 'delivered')
		ORDER BY CAST(substr(o.subject, 7) AS INTEGER), o.seq`)
	if err != nil {
		return nil, err
	}
	b := &outboxAudit{rows: rows, s: s}
	b.advance()
	return b, nil
}

func (b *outboxAudit) close() { b.rows.Close() }

// advance reads the next record, opened; a record that does not open or
// whose subject and payload disagree is kept as the error.
func (b *outboxAudit) advance() {
	b.next = nil
	if b.err != nil || !b.rows.Next() {
		return
	}
	var subject string
	var sealed []byte
	ev := &boxEvent{}
	if b.err = b.rows.Scan(&ev.id, &subject, &sealed); b.err != nil {
		return
	}
	ev.seq, _ = strconv.ParseInt(strings.TrimPrefix(subject, "audit:"), 10, 64)
	plain, err := b.s.sealer.Open(ev.id, "data", sealed)
	if err == nil {
		err = json.Unmarshal(plain, &ev.AuditEventData)
	}
	switch {
	case err != nil:
		b.err = fmt.Errorf("outbox record %s (event %d) does not open: %w", ev.id, ev.seq, err)
	case ev.Seq != ev.seq:
		b.err = fmt.Errorf("outbox record %s is filed as event %d but holds event %d", ev.id, ev.seq, ev.Seq)
	}
	b.next = ev
}

// compare holds the records of event e (and skips those of events before
// the chain's first, which retention removed) against it.
func (b *outboxAudit) compare(c *chainWalk, e *app.AuditEvent) {
	for b.next != nil && c.rep.OK() {
		ev := b.next
		if b.err != nil {
			c.fail(ev.seq, "%v", b.err)
			return
		}
		if ev.Seq > e.Seq {
			return
		}
		if ev.Seq == e.Seq && (ev.Hash != e.Hash || ev.PrevHash != e.PrevHash) {
			c.fail(e.Seq, "the event differs from its audit.event record %s in the outbox (hash %s there)", ev.id, ev.Hash)
			return
		}
		if ev.Seq == e.Seq {
			c.rep.Outbox++
		}
		b.advance()
	}
}

// rest fails on a record of an event after the chain's end.
func (b *outboxAudit) rest(c *chainWalk) {
	if b.err != nil && b.next != nil {
		c.fail(b.next.seq, "%v", b.err)
	}
	if err := b.rows.Err(); err != nil {
		c.fail(0, "outbox: %v", err)
	}
	if ev := b.next; ev != nil && ev.Seq > c.rep.LastSeq {
		c.fail(ev.Seq, "the chain ends at %d, but the outbox holds audit.event record %s of event %d (hash %s): newer events were removed",
			c.rep.LastSeq, ev.id, ev.Seq, ev.Hash)
	}
}
