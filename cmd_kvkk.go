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
	"github.com/kocasinan/gise/app/kvkk"
)

func init() {
	subcommands["kvkk"] = subcommand{summary: "personal data on this terminal: gise kvkk report | gise kvkk destroy (run retention now)", run: runKVKK}
}

// retentionPolicy is the configured policy.
func retentionPolicy(cfg config.Config) kvkk.Policy {
	r := cfg.Retention
	return kvkk.Policy{Version: r.PolicyVersion, Citizens: r.Citizens.Duration, Complaints: r.Complaints.Duration,
		Audit: r.Audit.Duration, DestructionLog: r.DestructionLog.Duration, PrintJobs: r.PrintJobs.Duration}
}

func runKVKK(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New("kvkk: say report or destroy")
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
	}
	return fmt.Errorf("kvkk: unknown command %q (report, destroy)", args[0])
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
