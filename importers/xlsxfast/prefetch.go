package xlsxfast

import "sync"

// chunk is a batch of rows handed from the reading goroutine to the
// consumer. Chunks are recycled, so memory stays flat in the row count.
type chunk struct {
	nums  []int
	cells [][]string
	err   error // set on the last chunk when the source failed
}

// prefetcher reads rows from a source in a goroutine, in chunks, so that
// the consumer (parsing and storing) overlaps the reading.
type prefetcher struct {
	src   SheetRows
	full  chan *chunk
	free  chan *chunk
	stop  chan struct{}
	done  chan struct{}
	cur   *chunk
	i     int
	err   error
	ended bool

	closeOnce sync.Once
	closeErr  error
}

// Prefetch returns a SheetRows that yields exactly the rows of src, read
// ahead in a separate goroutine in chunks of up to size rows. At most three
// chunks exist at any time and their buffers are recycled (the cell slices
// themselves come from src and are handed over, not reused). Close stops the
// goroutine, waits for it and closes src; it is safe to call Close before
// the rows are exhausted. src must not be used by the caller afterwards.
func Prefetch(src SheetRows, size int) SheetRows {
	if size < 1 {
		size = 1
	}
	p := &prefetcher{
		src:  src,
		full: make(chan *chunk, 1),
		free: make(chan *chunk, 3),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for range 3 {
		p.free <- newChunk(size)
	}
	go p.run(size)
	return p
}

func newChunk(n int) *chunk {
	return &chunk{nums: make([]int, 0, n), cells: make([][]string, 0, n)}
}

// run is the reading goroutine.
func (p *prefetcher) run(size int) {
	defer close(p.done)
	defer close(p.full)
	for {
		var c *chunk
		select {
		case c = <-p.free:
		case <-p.stop:
			return
		}
		c.nums, c.cells, c.err = c.nums[:0], c.cells[:0], nil
		last := false
		for len(c.nums) < size {
			select {
			case <-p.stop:
				return
			default:
			}
			if !p.src.Next() {
				c.err = p.src.Err()
				last = true
				break
			}
			n, cells := p.src.Row()
			c.nums = append(c.nums, n)
			c.cells = append(c.cells, cells)
		}
		select {
		case p.full <- c:
		case <-p.stop:
			return
		}
		if last {
			return
		}
	}
}

// Next advances to the next row.
func (p *prefetcher) Next() bool {
	if p.ended {
		return false
	}
	p.i++
	for p.cur == nil || p.i >= len(p.cur.nums) {
		if p.cur != nil {
			if p.cur.err != nil {
				p.err = p.cur.err
			}
			clear(p.cur.cells) // drop references to handed-over rows
			p.free <- p.cur
			p.cur = nil
		}
		c, ok := <-p.full
		if !ok {
			p.ended = true
			return false
		}
		p.cur, p.i = c, 0
	}
	return true
}

// Row returns the current row.
func (p *prefetcher) Row() (int, []string) {
	if p.cur == nil || p.i >= len(p.cur.nums) {
		return 0, nil
	}
	return p.cur.nums[p.i], p.cur.cells[p.i]
}

// Err returns the source's error once the rows are exhausted.
func (p *prefetcher) Err() error { return p.err }

// Close stops reading ahead and closes the source.
func (p *prefetcher) Close() error {
	p.closeOnce.Do(func() {
		p.ended = true
		close(p.stop)
		<-p.done
		p.closeErr = p.src.Close()
	})
	return p.closeErr
}
