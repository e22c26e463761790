package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

func init() {
	subcommands["audit"] = subcommand{summary: "the audit chain: gise audit verify | gise audit export --from 2026-11-01 --to 2026-12-01", run: runAudit}
}

// auditBroken is the error of a chain that does not verify: exit status 2.
type auditBroken struct{ rep app.AuditReport }

func (e auditBroken) Error() string {
	if e.rep.BrokenSeq == 0 {
		return "audit chain broken: " + e.rep.Problem
	}
	return fmt.Sprintf("audit chain broken at event %d: %s", e.rep.BrokenSeq, e.rep.Problem)
}

// ExitCode implements exitStatus.
func (auditBroken) ExitCode() int { return 2 }

func runAudit(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New("audit: say verify or export")
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, cfg)
	case "export":
		return auditExport(ctx, cfg, args[1:])
	}
	return fmt.Errorf("audit: unknown command %q (verify, export)", args[0])
}

func auditVerify(ctx context.Context, cfg config.Config) error {
	store, err := openExistingStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	printClockNotes(rep)
	if !rep.OK() {
		return auditBroken{rep}
	}
	if rep.Events == 0 {
		fmt.Println("ok: no events since the anchor")
		return nil
	}
	fmt.Printf("ok: %d events, %d–%d, chain intact\n", rep.Events, rep.FirstSeq, rep.LastSeq)
	if rep.KeyedFrom > rep.FirstSeq {
		fmt.Printf("links: plain SHA-256 for %d–%d (written before keyed links), HMAC-SHA-256 under the terminal key from %d\n",
			rep.FirstSeq, rep.KeyedFrom-1, rep.KeyedFrom)
	} else {
		fmt.Printf("links: HMAC-SHA-256 under the terminal key from %d\n", rep.KeyedFrom)
	}
	if rep.Acked.Seq > 0 {
		fmt.Printf("central: acknowledged head seq %d, hash %s; the chain reaches it and agrees\n", rep.Acked.Seq, rep.Acked.Hash)
	} else {
		fmt.Println("central: no head acknowledged yet")
	}
	fmt.Printf("outbox: %d audit.event records agree with the chain\n", rep.Outbox)
	return nil
}

// printClockNotes reports events recorded at an earlier time than the one
// before them: a clock set back is legitimate (the sequence orders the
// chain, and the times are under the MAC) but must be seen.
func printClockNotes(rep app.AuditReport) {
	const shown = 10
	for i, b := range rep.Backwards {
		if i == shown {
			fmt.Printf("note: %d more events with the time running backwards\n", len(rep.Backwards)-shown)
			break
		}
		fmt.Printf("note: time runs backwards at event %d: %s, after %s (%s earlier)\n", b.Seq,
			b.At.UTC().Format(time.RFC3339), b.Prev.UTC().Format(time.RFC3339), b.Prev.Sub(b.At))
	}
}

// elevenDigits finds what could be a national ID in free text.
var elevenDigits = regexp.MustCompile(`\b[1-9][0-9]{10}\b`)

// mask hides anything shaped like a national ID. Objects are ids and
// actors usernames, so this is a second line: an export never carries one.
func mask(s string) string {
	return elevenDigits.ReplaceAllStringFunc(s, func(d string) string { return app.NationalID(d).Masked() })
}

func auditExport(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("audit export", flag.ContinueOnError)
	from := fs.String("from", "", "first day, YYYY-MM-DD (required)")
	to := fs.String("to", "", "day after the last, YYYY-MM-DD (default: tomorrow)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start, err := time.ParseInLocation(app.DateLayout, *from, time.Local)
	if err != nil {
		return fmt.Errorf("audit export: --from: give a date as 2026-11-01")
	}
	end := app.Today(time.Now()).AddDate(0, 0, 1)
	if *to != "" {
		if end, err = time.ParseInLocation(app.DateLayout, *to, time.Local); err != nil {
			return fmt.Errorf("audit export: --to: give a date as 2026-12-01")
		}
	}
	store, err := openExistingStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	events, err := store.AuditEvents(ctx, start, end)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for _, e := range events {
		// One line is the audit.event record's data, masked.
		d := e.Data()
		d.Actor, d.Object = mask(d.Actor), mask(d.Object)
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	return out.Flush()
}
