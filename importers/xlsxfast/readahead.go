package xlsxfast

import (
	"io"
	"sync"
)

// readAhead inflates a zip part in its own goroutine, so that
// decompression overlaps scanning on a second core. Buffers are recycled:
// memory is bounded by nbuf buffers of bufSize bytes.
type readAhead struct {
	src  io.ReadCloser
	full chan raBuf
	free chan []byte
	stop chan struct{}
	done chan struct{}
	buf  []byte // current filled buffer
	off  int    // read offset in buf
	err  error

	once     sync.Once
	closeErr error
}

// raBuf is a filled buffer, or the source's final error.
type raBuf struct {
	b   []byte
	err error
}

const (
	raBufSize = 256 << 10
	raBufs    = 4
)

func newReadAhead(src io.ReadCloser) *readAhead {
	r := &readAhead{
		src:  src,
		full: make(chan raBuf, raBufs),
		free: make(chan []byte, raBufs),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for range raBufs {
		r.free <- make([]byte, raBufSize)
	}
	go r.run()
	return r
}

func (r *readAhead) run() {
	defer close(r.done)
	for {
		var b []byte
		select {
		case b = <-r.free:
		case <-r.stop:
			return
		}
		n, err := io.ReadFull(r.src, b[:cap(b)])
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		if n > 0 {
			select {
			case r.full <- raBuf{b: b[:n]}:
			case <-r.stop:
				return
			}
		}
		if err != nil {
			select {
			case r.full <- raBuf{err: err}:
			case <-r.stop:
			}
			return
		}
	}
}

// Read implements io.Reader.
func (r *readAhead) Read(p []byte) (int, error) {
	for r.off >= len(r.buf) {
		if r.buf != nil {
			r.free <- r.buf[:cap(r.buf)]
			r.buf, r.off = nil, 0
		}
		if r.err != nil {
			return 0, r.err
		}
		rb := <-r.full
		if rb.err != nil {
			r.err = rb.err
			continue
		}
		r.buf, r.off = rb.b, 0
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// Close stops the inflating goroutine and closes the source.
func (r *readAhead) Close() error {
	r.once.Do(func() {
		close(r.stop)
		<-r.done
		r.closeErr = r.src.Close()
	})
	return r.closeErr
}
