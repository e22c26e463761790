package central

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// errTooMany is returned by decodeBatch for a batch of more than
// MaxBatchRecords records; it stops reading there.
var errTooMany = errors.New("too many records")

// decodeBatch reads a batch body in one pass: the envelope, each record's
// fields, and each record's data made canonical with its members, so that
// no byte of the body is scanned twice (a decode into RawMessage and the
// canonicaliser after it read every record three times). Member names are
// matched exactly, as the contract writes them; unknown members are read
// and ignored; of repeated members the last counts and null leaves a field
// empty, as with encoding/json. FuzzDecodeBatch holds it to encoding/json.
func decodeBatch(body []byte) (inBatch, error) {
	p := &canonParser{data: body}
	var b inBatch
	p.space()
	err := p.eachMember(func(key []byte) error {
		var err error
		switch string(key) {
		case "batch_id":
			b.BatchID, err = p.string()
		case "device_id":
			b.DeviceID, err = p.string()
		case "sent_at":
			b.SentAt, err = p.string()
		case "records":
			b.Records, err = p.records()
		default:
			err = p.skip()
		}
		return err
	})
	if err != nil {
		return inBatch{}, err
	}
	if p.space(); p.i != len(p.data) {
		return inBatch{}, errSyntax
	}
	return b, nil
}

// records reads the records array (null leaves it nil).
func (p *canonParser) records() ([]inRecord, error) {
	if p.null() {
		return nil, nil
	}
	out := []inRecord{}
	err := p.eachElement(func() error {
		if len(out) == MaxBatchRecords {
			return errTooMany
		}
		out = append(out, inRecord{})
		return p.record(&out[len(out)-1])
	})
	return out, err
}

// record reads one record; its data is made canonical on the way.
func (p *canonParser) record(r *inRecord) error {
	if p.null() {
		return nil
	}
	return p.eachMember(func(key []byte) error {
		var err error
		switch string(key) {
		case "id":
			r.ID, err = p.string()
		case "type":
			r.Type, err = p.string()
		case "schema":
			r.Schema, err = p.integer()
		case "occurred_at":
			r.OccurredAt, err = p.string()
		case "data":
			err = p.recordData(r)
		default:
			err = p.skip()
		}
		return err
	})
}

// recordData reads a record's data: an object is made canonical; anything
// else is read and marked as no object. Data nested too deeply for the
// canonicaliser, or holding a number beyond double range, is skipped and
// marked bad: the record is rejected, not the batch.
func (p *canonParser) recordData(r *inRecord) error {
	r.canon, r.top, r.object, r.bad = nil, nil, false, false
	if p.i >= len(p.data) || p.data[p.i] != '{' {
		return p.skip()
	}
	start, outer := p.i, p.top
	canon, err := p.object(make([]byte, 0, 256), 0)
	r.top, p.top = p.top, outer
	switch {
	case errors.Is(err, errDeep) || errors.Is(err, errRange):
		p.i = start
		r.object, r.bad, r.top = true, true, nil
		return p.skipDeep()
	case err != nil:
		return err
	}
	r.canon, r.object = canon, true
	return nil
}

// eachMember reads an object, calling fn after each member's name with the
// parser on the member's value, which fn must consume.
func (p *canonParser) eachMember(fn func(key []byte) error) error {
	return p.each('{', '}', func() error {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return errSyntax
		}
		raw, s, err := p.str()
		if err != nil {
			return err
		}
		key := []byte(s)
		if raw != nil {
			key = raw[1 : len(raw)-1]
		}
		if p.space(); p.i >= len(p.data) || p.data[p.i] != ':' {
			return errSyntax
		}
		p.i++
		p.space()
		return fn(key)
	})
}

// eachElement reads an array, calling fn with the parser on each element,
// which fn must consume.
func (p *canonParser) eachElement(fn func() error) error {
	return p.each('[', ']', fn)
}

// each reads a container from open to close, calling item with the parser
// on each item, which item must consume.
func (p *canonParser) each(open, close byte, item func() error) error {
	if p.i >= len(p.data) || p.data[p.i] != open {
		return errSyntax
	}
	p.i++
	if p.space(); p.i < len(p.data) && p.data[p.i] == close {
		p.i++
		return nil
	}
	for {
		p.space()
		if err := item(); err != nil {
			return err
		}
		if p.space(); p.i >= len(p.data) {
			return errSyntax
		}
		switch p.data[p.i] {
		case close:
			p.i++
			return nil
		case ',':
			p.i++
		default:
			return errSyntax
		}
	}
}

// null consumes a null, if one is next.
func (p *canonParser) null() bool {
	if end := p.i + 4; end <= len(p.data) && string(p.data[p.i:end]) == "null" {
		p.i = end
		return true
	}
	return false
}

// string reads a string value; null gives "".
func (p *canonParser) string() (string, error) {
	if p.null() {
		return "", nil
	}
	if p.i >= len(p.data) || p.data[p.i] != '"' {
		return "", errSyntax
	}
	raw, s, err := p.str()
	if raw != nil {
		return string(raw[1 : len(raw)-1]), nil
	}
	return s, err
}

// integer reads a number that fits an int, as a decode into an int field
// accepts it; null gives 0.
func (p *canonParser) integer() (int, error) {
	if p.null() {
		return 0, nil
	}
	if p.i >= len(p.data) || (p.data[p.i] != '-' && (p.data[p.i] < '0' || p.data[p.i] > '9')) {
		return 0, errSyntax
	}
	start := p.i
	if err := p.numberToken(); err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(string(p.data[start:p.i]))
	if err != nil {
		return 0, errSyntax
	}
	return n, nil
}

// skip reads and drops one value of any kind.
func (p *canonParser) skip() error {
	start := p.i
	if _, err := p.value(nil, 1); !errors.Is(err, errDeep) && !errors.Is(err, errRange) {
		return err
	}
	p.i = start
	return p.skipDeep()
}

// skipDeep skips a value nested deeper than the canonicaliser follows, or
// holding a number beyond double range, with
// encoding/json's own limit.
func (p *canonParser) skipDeep() error {
	dec := json.NewDecoder(bytes.NewReader(p.data[p.i:]))
	var skipped json.RawMessage
	if err := dec.Decode(&skipped); err != nil {
		return errSyntax
	}
	p.i += int(dec.InputOffset())
	return nil
}
