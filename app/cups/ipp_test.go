package cups

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/kocasinan/gise/app"
)

// response builds an IPP response with the given job attributes.
func response(status uint16, state int, message string, reasons ...string) []byte {
	var b bytes.Buffer
	b.Write([]byte{2, 0})
	binary.Write(&b, binary.BigEndian, status)
	b.Write([]byte{0, 0, 0, 1, 0x01})
	ippAttr(&b, 0x47, "attributes-charset", "utf-8")
	b.WriteByte(0x02) // job attributes
	b.WriteByte(0x23)
	binary.Write(&b, binary.BigEndian, uint16(len("job-state")))
	b.WriteString("job-state")
	binary.Write(&b, binary.BigEndian, uint16(4))
	binary.Write(&b, binary.BigEndian, uint32(state))
	ippAttr(&b, 0x41, "job-state-message", message)
	for i, r := range reasons {
		name := "job-state-reasons"
		if i > 0 {
			name = ""
		}
		ippAttr(&b, 0x44, name, r)
	}
	b.WriteByte(0x03)
	return b.Bytes()
}

func TestParseAndJudgeJobState(t *testing.T) {
	for _, tc := range []struct {
		name string
		resp []byte
		want app.PrintStatus
	}{
		{"completed", response(0, jobCompleted, ""), app.PrintPrinted},
		{"stopped", response(0, jobStopped, "Stopping job because the scheduler could not open the output file."), app.PrintFailed},
		{"aborted", response(0, jobAborted, ""), app.PrintFailed},
		{"canceled", response(0, jobCanceled, ""), app.PrintFailed},
		{"held", response(0, jobHeld, "", "job-hold-until-specified"), app.PrintFailed},
		{"arriving", response(0, jobHeld, "", "job-incoming"), app.PrintSent},
		{"waiting", response(0, jobPending, ""), app.PrintSent},
		{"printing", response(0, jobProcessing, "page 1"), app.PrintSent},
		{"printer paused", response(0, jobPending, "", "printer-stopped"), app.PrintSent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := parseJobState(tc.resp)
			if err != nil {
				t.Fatal(err)
			}
			got, msg := judge(st)
			if got != tc.want || (got == app.PrintFailed) != (msg != "") {
				t.Fatalf("%v %q", got, msg)
			}
		})
	}
	if _, err := parseJobState(response(0x0406, jobCompleted, "")); err == nil {
		t.Error("an IPP error status passed as a state")
	}
}

func TestCUPSJobNumber(t *testing.T) {
	for id, want := range map[string]int{"gise-pdf-12": 12, "KCS-MERKEZ-A4-7": 7, "x": 0, "": 0, "a-0": 0} {
		if n, ok := cupsJobNumber(id); n != want && ok {
			t.Errorf("%q: %d", id, n)
		}
	}
}

func FuzzParseJobState(f *testing.F) {
	f.Add(response(0, jobCompleted, "done", "job-completed-successfully"))
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 1, 0x01, 0x23, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseJobState(b) // must never panic on what a server sends
	})
}
