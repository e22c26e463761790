package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/kvkk"
)

func init() {
	subcommands["kvkk"] = subcommand{summary: "personal data on this terminal: gise kvkk report | destroy (run retention now) | rotate-key (kiosk closed)", run: runKVKK}
}

// retentionPolicy is the configured policy.
func retentionPolicy(cfg config.Config) kvkk.Policy {
	r := cfg.Retention
	return kvkk.Policy{Version: r.PolicyVersion, Citizens: r.Citizens.Duration, Complaints: r.Complaints.Duration,
		Audit: r.Audit.Duration, DestructionLog: r.DestructionLog.Duration, PrintJobs: r.PrintJobs.Duration}
}

func runKVKK(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New("kvkk: say report, destroy or rotate-key")
	}
	if args[0] == "rotate-key" {
		// A new active key, then Open re-seals everything with it (resuming
		// after a crash). The kiosk must be closed: it would keep sealing
		// with the key it loaded. A missing key is refused with its
		// sentence first: AddKey never makes one.
		if _, err := loadKey(cfg); err != nil {
			return err
		}
		if _, err := keys.AddKey(keys.DefaultPath(cfg.DataDir)); err != nil {
			return err
		}
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "report":
		rep, err := store.KVKKReport(ctx)
		if err != nil {
			return err
		}
		printReport(rep)
		return nil
	case "destroy":
		out, err := store.DestroyDue(ctx, retentionPolicy(cfg), time.Now())
		for _, d := range out {
			fmt.Printf("%-16s %6d %s\n", d.Class, d.Count, d.Method)
		}
		return err
	case "rotate-key":
		fmt.Println("ok: every value is sealed with the new key")
		return nil
	}
	return fmt.Errorf("kvkk: unknown command %q (report, destroy, rotate-key)", args[0])
}

func printReport(rep kvkk.Report) {
	fmt.Printf("Personal data on this terminal at %s\n\n", rep.At.Format(time.RFC3339))
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "class\tcount\toldest\tundelivered")
	for _, c := range rep.Classes {
		oldest := "-"
		if !c.Oldest.IsZero() {
			oldest = c.Oldest.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%d\n", c.Class, c.Count, oldest, c.Undelivered)
	}
	w.Flush()
	fmt.Println("\nRecords the central has not acknowledged:")
	types := make([]string, 0, len(rep.Undelivered))
	for t := range rep.Undelivered {
		types = append(types, t)
	}
	sort.Strings(types)
	if len(types) == 0 {
		fmt.Println("  none")
	}
	for _, t := range types {
		fmt.Printf("  %-30s %d\n", t, rep.Undelivered[t])
	}
}
