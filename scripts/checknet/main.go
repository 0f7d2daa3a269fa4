// Command checknet is the static half of "offline, proven" (issue 8): it lists the packages
// the sitrep binary is built from (go list -deps) and fails when
//   - one of the module's own packages imports a networking package (net, net/http, net/url,
//     net/rpc, net/smtp, crypto/tls, os/exec, syscall's socket calls aside), or
//   - a third-party package outside the reviewed list below imports net or net/http, so a new
//     dependency that could reach the network is noticed and reviewed.
//
// The reviewed dependencies import net/http for reasons that do not open sockets in Sitrep's
// use: fyne (storage repositories for http:// URIs, which Sitrep never opens, and OpenURL,
// which Sitrep never calls), excelize (http.DetectContentType on embedded pictures) and godbus
// (D-Bus over a local Unix socket, used by fyne for desktop notifications and the system tray
// on Linux). The dynamic half is scripts/offline.sh: the CLI run in a network namespace with
// no network at all.
//
// Usage: go run ./scripts/checknet [PACKAGE] (default ".")
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
)

const module = "sitrep"

// forbidden are the packages the module's own code must not import.
var forbidden = map[string]bool{
	"net": true, "net/http": true, "net/url": true, "net/rpc": true, "net/smtp": true,
	"net/mail": true, "net/http/httputil": true, "crypto/tls": true, "os/exec": true,
	"net/http/cookiejar": true, "golang.org/x/net/http2": true,
}

// reviewed are third-party packages allowed to import net or net/http (see the doc comment).
var reviewed = map[string]bool{
	"fyne.io/fyne/v2":                     true,
	"fyne.io/fyne/v2/internal/repository": true,
	"github.com/xuri/excelize/v2":         true,
	"github.com/godbus/dbus/v5":           true,
}

type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Module     *struct{ Path string }
}

func main() {
	target := "."
	if len(os.Args) > 1 {
		target = os.Args[1]
	}
	cmd := exec.Command("go", "list", "-deps", "-json", target)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		fail("go list: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	var bad []string
	var ours, third int
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			fail("go list output: %v", err)
		}
		if p.Standard {
			continue
		}
		own := p.Module != nil && p.Module.Path == module
		if own {
			ours++
		} else {
			third++
		}
		for _, imp := range p.Imports {
			switch {
			case own && forbidden[imp]:
				bad = append(bad, fmt.Sprintf("%s (ours) imports %s", p.ImportPath, imp))
			case !own && (imp == "net" || imp == "net/http") && !reviewed[p.ImportPath]:
				bad = append(bad, fmt.Sprintf("%s (dependency, not reviewed) imports %s", p.ImportPath, imp))
			}
		}
	}
	if ours == 0 {
		fail("no package of module %s in go list -deps %s", module, target)
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		fail("network imports:\n  %s", strings.Join(bad, "\n  "))
	}
	fmt.Printf("checknet: %d packages of %s import no networking package; %d dependencies checked against the reviewed list\n", ours, module, third)
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "checknet: "+format+"\n", a...)
	os.Exit(1)
}
