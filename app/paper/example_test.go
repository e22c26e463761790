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

// How a screen prints the notice for a newcomer and a receipt, and tells the
// clerk the truth about each; every call here does I/O and runs off the UI
// goroutine.
func Example() {
	ctx := context.Background()
	cfg := config.Default()
	var store app.PrintJobStore // the *sqlite.Store
	var counter notice.Store    // the same store
	clerk := app.Actor{Username: "ayse", Role: app.RoleClerk}

	// Once at start: the header and logo are prepared here, not per print.
	printing, err := paper.NewService(cups.New(store, nil), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	catalog := notice.NewCatalog(nil, nil,
		notice.New(1, notice.Turkish, assets.NoticeV1TR, time.Time{}),
		notice.New(1, notice.English, assets.NoticeV1EN, time.Time{}))

	// The notice for a newcomer, on the A4 notice queue: given only once printed.
	ver, err := catalog.Current(notice.Turkish, app.Today(time.Now()))
	if err != nil {
		fmt.Println(app.ErrorMessage(err))
		return
	}
	visit := notice.NewVisit(counter, clerk, "")
	job, err := printing.PrintNotice(ctx, ver, "Işık Çağrı")
	if err == nil {
		job, err = printing.Await(ctx, job.ID, paper.DefaultWait)
	}
	if err == nil && job.Status == app.PrintPrinted {
		_, err = visit.GivePrinted(ctx, ver, job)
	}
	if err != nil {
		fmt.Println(app.ErrorMessage(err)) // the job waits for reprint; or show it on screen
	}

	// A complaint's receipt, on the receipt queue, naming the applicant.
	job, err = printing.PrintReceipt(ctx, app.ReceiptRequest{Kind: string(app.KindComplaint), Code: app.NewTrackingCode(),
		Category: "Temizlik", ApplicantName: "Işık Çağrı", NationalID: "10000000146"})
	if err == nil {
		job, err = printing.Await(ctx, job.ID, paper.DefaultWait)
	}
	switch {
	case err != nil:
		fmt.Println(app.ErrorMessage(err))
	case job.Status == app.PrintFailed:
		fmt.Println(job.Error) // offer "Yeniden yazdır" and another queue
	case job.Status == app.PrintSent:
		fmt.Println("Yazıcı bekliyor…") // and keep following it
	}
}
