package locales

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// messageUses collects the message IDs the portal's code can ask for: every
// string literal of its Go files (templ components are compiled to Go, so
// their T(ctx, "...") calls are literals too), and the prefixes of IDs
// made at run time ("status." + code): literals ending in "." that are the
// left operand of a +.
func messageUses(t *testing.T, root string) (literals map[string]bool, prefixes []string) {
	t.Helper()
	literals = map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "node_modules", "bench", "data", "bin":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					if s, err := strconv.Unquote(n.Value); err == nil {
						literals[s] = true
					}
				}
			case *ast.BinaryExpr:
				if lit, ok := n.X.(*ast.BasicLit); ok && n.Op == token.ADD && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && strings.HasSuffix(s, ".") {
						prefixes = append(prefixes, s)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return literals, prefixes
}

// TestEveryMessageIsUsed: a message that no code or component can ask for
// is dead text that translators would keep translating; delete it.
func TestEveryMessageIsUsed(t *testing.T) {
	literals, prefixes := messageUses(t, "..")
	if len(literals) < 100 {
		t.Fatalf("only %d string literals found: is the walk in the right directory?", len(literals))
	}
	var unused []string
	for _, id := range sortedIDs(messages(t, "en")) {
		if literals[id] {
			continue
		}
		used := false
		for _, p := range prefixes {
			if strings.HasPrefix(id, p) {
				used = true
				break
			}
		}
		if !used {
			unused = append(unused, id)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("%d messages no code uses: %s", len(unused), strings.Join(unused, ", "))
	}
}
