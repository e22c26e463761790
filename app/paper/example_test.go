package paper_test

import (
	"context"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/cups"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/app/paper"
	"github.com/kocasinan/gise/assets"
)

// How a screen prints a receipt and, for a newcomer, the notice; every call
// here does I/O and runs off the UI goroutine.
func Example() {
	ctx := context.Background()
	cfg := config.Default()
	var store cups.JobStore  // the *sqlite.Store
	var counter notice.Store // the same store
	clerk := app.Actor{Username: "ayse", Role: app.RoleClerk}

	// Once at start.
	header, _ := paper.HeaderFrom(cfg.Municipality)
	catalog := notice.NewCatalog(nil, nil,
		notice.New(1, notice.Turkish, assets.NoticeV1TR, time.Time{}),
		notice.New(1, notice.English, assets.NoticeV1EN, time.Time{}))
	receipts, notices := cups.FromConfig(cfg.Printer, store, nil)

	// The notice for a newcomer, printed, then the registration.
	ver, err := catalog.Current(notice.Turkish, app.Today(time.Now()))
	if err != nil {
		fmt.Println(app.ErrorMessage(err))
		return
	}
	pdf, _ := paper.Notice(paper.NoticeDoc{Header: header, Version: ver, At: time.Now(),
		Terminal: cfg.TerminalID, CitizenName: "Işık Çağrı"})
	visit := notice.NewVisit(counter, clerk, "")
	if _, err := visit.PrintNotice(ctx, notices, ver, pdf); err != nil {
		fmt.Println(app.ErrorMessage(err)) // the job waits in notices.Pending for reprint
	}

	// A complaint's receipt.
	d := paper.ReceiptDoc{Header: header, Layout: paper.Layout(cfg.Printer.Layout),
		Kind: string(app.KindComplaint), Code: app.NewTrackingCode(), StatusURL: cfg.Municipality.StatusURL,
		Category: "Temizlik", NationalID: "10000000146", At: time.Now(), Terminal: cfg.TerminalID}
	if pdf, err := paper.Receipt(d); err == nil {
		if _, err := receipts.Print(ctx, d.Title(), pdf); err != nil {
			fmt.Println(app.ErrorMessage(err))
		}
	}
}
