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
	"net/url"
	"os"
	"strings"
	"time"
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

// ippClient speaks the few IPP operations the printer needs, over one
// HTTP client whose idle connections are closed after each round, so that
// polling never piles connections up against the scheduler's client limit.
type ippClient struct {
	http *http.Client
}

// ippTimeout bounds one IPP request.
const ippTimeout = 5 * time.Second

func newIPPClient(override string) *ippClient {
	network, addr := server(override)
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}, MaxIdleConns: 1}
	return &ippClient{http: &http.Client{Transport: tr, Timeout: ippTimeout}}
}

// close drops the idle connection.
func (c *ippClient) close() { c.http.CloseIdleConnections() }

// printerState is what CUPS says of a queue.
type printerState struct {
	State     int // 3 idle, 4 processing, 5 stopped
	Message   string
	Accepting bool
}

const printerStopped = 5

// getJob asks for one job's state (Get-Job-Attributes).
func (c *ippClient) getJob(ctx context.Context, jobID int) (jobState, error) {
	attrs, err := c.do(ctx, 0x0009, "job-uri", fmt.Sprintf("ipp://localhost/jobs/%d", jobID),
		"job-state", "job-state-message", "job-state-reasons")
	if err != nil {
		return jobState{}, err
	}
	return jobStateOf(attrs)
}

// getPrinter asks for a queue's state (Get-Printer-Attributes).
func (c *ippClient) getPrinter(ctx context.Context, name string) (printerState, error) {
	attrs, err := c.do(ctx, 0x000B, "printer-uri", "ipp://localhost/printers/"+url.PathEscape(name),
		"printer-state", "printer-state-message", "printer-is-accepting-jobs")
	if err != nil {
		return printerState{}, err
	}
	var st printerState
	if v := attrs["printer-state"]; len(v) > 0 && len(v[0]) == 4 {
		st.State = int(binary.BigEndian.Uint32(v[0]))
	}
	if v := attrs["printer-state-message"]; len(v) > 0 {
		st.Message = string(v[0])
	}
	if v := attrs["printer-is-accepting-jobs"]; len(v) > 0 && len(v[0]) == 1 {
		st.Accepting = v[0][0] == 1
	}
	if st.State == 0 {
		return st, errors.New("ipp: no printer-state in the response")
	}
	return st, nil
}

// getPrinters lists the scheduler's queues (CUPS-Get-Printers).
func (c *ippClient) getPrinters(ctx context.Context) ([]string, error) {
	attrs, err := c.do(ctx, 0x4002, "", "", "printer-name")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(attrs["printer-name"]))
	for _, v := range attrs["printer-name"] {
		names = append(names, string(v))
	}
	return names, nil
}

// do sends one request whose target is named by uriAttr (none when "") and
// returns the response's attributes.
func (c *ippClient) do(ctx context.Context, op uint16, uriAttr, uri string, requested ...string) (map[string][][]byte, error) {
	var req bytes.Buffer
	req.Write([]byte{2, 0, byte(op >> 8), byte(op), 0, 0, 0, 1}) // IPP 2.0, operation, request 1
	req.WriteByte(0x01)                                          // operation attributes
	ippAttr(&req, 0x47, "attributes-charset", "utf-8")
	ippAttr(&req, 0x48, "attributes-natural-language", "en")
	if uriAttr != "" {
		ippAttr(&req, 0x45, uriAttr, uri)
	}
	for i, r := range requested {
		name := "requested-attributes"
		if i > 0 {
			name = ""
		}
		ippAttr(&req, 0x44, name, r)
	}
	req.WriteByte(0x03) // end of attributes
	ctx, cancel := context.WithTimeout(ctx, ippTimeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost/", &req)
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/ipp")
	resp, err := c.http.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("ipp: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("ipp: %w", err)
	}
	return parseAttrs(body)
}

func ippAttr(b *bytes.Buffer, tag byte, name, value string) {
	b.WriteByte(tag)
	binary.Write(b, binary.BigEndian, uint16(len(name)))
	b.WriteString(name)
	binary.Write(b, binary.BigEndian, uint16(len(value)))
	b.WriteString(value)
}

var errShortIPP = errors.New("ipp: truncated response")

// parseAttrs reads an IPP response: every attribute's values by name,
// whatever group they are in.
func parseAttrs(b []byte) (map[string][][]byte, error) {
	if len(b) < 9 {
		return nil, errShortIPP
	}
	if code := binary.BigEndian.Uint16(b[2:4]); code >= 0x0100 {
		return nil, fmt.Errorf("ipp: status 0x%04x", code)
	}
	attrs := map[string][][]byte{}
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
			return nil, errShortIPP
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if i+2+n+2 > len(b) {
			return nil, errShortIPP
		}
		name := string(b[i+2 : i+2+n])
		i += 2 + n
		vn := int(binary.BigEndian.Uint16(b[i:]))
		if i+2+vn > len(b) {
			return nil, errShortIPP
		}
		val := b[i+2 : i+2+vn]
		i += 2 + vn
		if name == "" {
			name = last // an additional value of the previous attribute
		}
		last = name
		attrs[name] = append(attrs[name], val)
	}
	return attrs, nil
}

// parseJobState reads a Get-Job-Attributes response.
func parseJobState(b []byte) (jobState, error) {
	attrs, err := parseAttrs(b)
	if err != nil {
		return jobState{}, err
	}
	return jobStateOf(attrs)
}

func jobStateOf(attrs map[string][][]byte) (jobState, error) {
	var st jobState
	if v := attrs["job-state"]; len(v) > 0 && len(v[0]) == 4 {
		st.State = int(binary.BigEndian.Uint32(v[0]))
	}
	if v := attrs["job-state-message"]; len(v) > 0 {
		st.Message = string(v[0])
	}
	for _, r := range attrs["job-state-reasons"] {
		st.Reasons = append(st.Reasons, string(r))
	}
	if st.State == 0 {
		return st, errors.New("ipp: no job-state in the response")
	}
	return st, nil
}
