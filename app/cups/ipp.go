package cups

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
)

// IPP job states (RFC 8011 §5.3.7).
const (
	jobPending    = 3
	jobHeld       = 4
	jobProcessing = 5
	jobStopped    = 6
	jobCanceled   = 7
	jobAborted    = 8
	jobCompleted  = 9
)

// jobState is what CUPS says of one job.
type jobState struct {
	State   int
	Message string // job-state-message, often the backend's last words
	Reasons []string
}

// server returns where CUPS listens: the CUPS_SERVER form (a socket path or
// host[:port]), CUPS's default socket, or localhost:631.
func server(override string) (network, addr string) {
	s := override
	if s == "" {
		s = os.Getenv("CUPS_SERVER")
	}
	if s == "" {
		if _, err := os.Stat("/run/cups/cups.sock"); err == nil {
			s = "/run/cups/cups.sock"
		} else {
			s = "localhost"
		}
	}
	if strings.HasPrefix(s, "/") {
		return "unix", s
	}
	if _, _, err := net.SplitHostPort(s); err != nil {
		s = net.JoinHostPort(s, "631")
	}
	return "tcp", s
}

// ippClient speaks the few IPP operations the printer needs.
type ippClient struct {
	http *http.Client
}

func newIPPClient(override string) *ippClient {
	network, addr := server(override)
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	return &ippClient{http: &http.Client{Transport: tr}}
}

// getJob asks for one job's state (Get-Job-Attributes).
func (c *ippClient) getJob(ctx context.Context, jobID int) (jobState, error) {
	var req bytes.Buffer
	req.Write([]byte{2, 0, 0x00, 0x09, 0, 0, 0, 1}) // IPP 2.0, Get-Job-Attributes, request 1
	req.WriteByte(0x01)                             // operation attributes
	ippAttr(&req, 0x47, "attributes-charset", "utf-8")
	ippAttr(&req, 0x48, "attributes-natural-language", "en")
	ippAttr(&req, 0x45, "job-uri", fmt.Sprintf("ipp://localhost/jobs/%d", jobID))
	ippAttr(&req, 0x44, "requested-attributes", "job-state")
	ippAttr(&req, 0x44, "", "job-state-message")
	ippAttr(&req, 0x44, "", "job-state-reasons")
	req.WriteByte(0x03) // end of attributes
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost/jobs", &req)
	if err != nil {
		return jobState{}, err
	}
	hreq.Header.Set("Content-Type", "application/ipp")
	resp, err := c.http.Do(hreq)
	if err != nil {
		return jobState{}, fmt.Errorf("ipp: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return jobState{}, fmt.Errorf("ipp: %w", err)
	}
	return parseJobState(body)
}

func ippAttr(b *bytes.Buffer, tag byte, name, value string) {
	b.WriteByte(tag)
	binary.Write(b, binary.BigEndian, uint16(len(name)))
	b.WriteString(name)
	binary.Write(b, binary.BigEndian, uint16(len(value)))
	b.WriteString(value)
}

var errShortIPP = errors.New("ipp: truncated response")

// parseJobState reads an IPP response and picks out the job's state.
func parseJobState(b []byte) (jobState, error) {
	var st jobState
	if len(b) < 9 {
		return st, errShortIPP
	}
	if code := binary.BigEndian.Uint16(b[2:4]); code >= 0x0100 {
		return st, fmt.Errorf("ipp: status 0x%04x", code)
	}
	i, last := 8, ""
	for i < len(b) {
		tag := b[i]
		i++
		if tag == 0x03 {
			break
		}
		if tag < 0x10 { // a group delimiter
			continue
		}
		if i+2 > len(b) {
			return st, errShortIPP
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if i+2+n+2 > len(b) {
			return st, errShortIPP
		}
		name := string(b[i+2 : i+2+n])
		i += 2 + n
		vn := int(binary.BigEndian.Uint16(b[i:]))
		if i+2+vn > len(b) {
			return st, errShortIPP
		}
		val := b[i+2 : i+2+vn]
		i += 2 + vn
		if name == "" {
			name = last // an additional value of the previous attribute
		}
		last = name
		switch name {
		case "job-state":
			if len(val) == 4 {
				st.State = int(binary.BigEndian.Uint32(val))
			}
		case "job-state-message":
			st.Message = string(val)
		case "job-state-reasons":
			st.Reasons = append(st.Reasons, string(val))
		}
	}
	if st.State == 0 {
		return st, errors.New("ipp: no job-state in the response")
	}
	return st, nil
}
