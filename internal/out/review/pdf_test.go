package review

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
)

// pdfTextSizes reads a PDF as Chromium prints it and returns the size, in points on the page, of every
// piece of text shown, and the number of pages. It is a small interpreter of the content streams: it
// follows the transformation matrix through q/Q/cm, Form XObjects (Do) and their /Matrix, and the
// text matrix (Tm), so a label drawn at 9 units in an SVG scaled down to the page gives its printed
// size. It reads uncompressed cross-references and Flate streams, which is what Chromium writes.
func pdfTextSizes(pdf []byte) (sizes []float64, pages int, err error) {
	objs := pdfObjects(pdf)
	pageRe := regexp.MustCompile(`/Type\s*/Page\b`)
	for _, o := range objs {
		if !pageRe.Match(o.dict) {
			continue
		}
		pages++
		var contents []int
		if m := regexp.MustCompile(`/Contents\s+(\d+)\s+0\s+R`).FindSubmatch(o.dict); m != nil {
			n, _ := strconv.Atoi(string(m[1]))
			contents = append(contents, n)
		} else if m := regexp.MustCompile(`/Contents\s*\[([^\]]*)\]`).FindSubmatch(o.dict); m != nil {
			for _, r := range regexp.MustCompile(`(\d+)\s+0\s+R`).FindAllSubmatch(m[1], -1) {
				n, _ := strconv.Atoi(string(r[1]))
				contents = append(contents, n)
			}
		}
		xobjs := xobjects(o.dict, objs)
		for _, c := range contents {
			co, ok := objs[c]
			if !ok {
				return nil, pages, fmt.Errorf("page content %d missing", c)
			}
			data, err := co.data()
			if err != nil {
				return nil, pages, err
			}
			if err := interpret(data, identity, xobjs, objs, &sizes, 0); err != nil {
				return nil, pages, err
			}
		}
	}
	return sizes, pages, nil
}

type pdfObject struct {
	dict   []byte
	stream []byte
}

func (o pdfObject) data() ([]byte, error) {
	if !bytes.Contains(o.dict, []byte("/FlateDecode")) {
		return o.stream, nil
	}
	r, err := zlib.NewReader(bytes.NewReader(o.stream))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// pdfObjects finds the indirect objects: their dictionary and, for streams, the raw stream bytes.
func pdfObjects(pdf []byte) map[int]pdfObject {
	objs := map[int]pdfObject{}
	re := regexp.MustCompile(`(?m)^(\d+) 0 obj\b`)
	locs := re.FindAllSubmatchIndex(pdf, -1)
	for _, l := range locs {
		n, _ := strconv.Atoi(string(pdf[l[2]:l[3]]))
		rest := pdf[l[1]:]
		end := bytes.Index(rest, []byte("endobj"))
		si := bytes.Index(rest, []byte("stream"))
		if si >= 0 && (end < 0 || si < end) {
			dict := rest[:si]
			body := rest[si+len("stream"):]
			body = bytes.TrimPrefix(bytes.TrimPrefix(body, []byte("\r")), []byte("\n"))
			length := -1
			if m := regexp.MustCompile(`/Length\s+(\d+)(\s+0\s+R)?`).FindSubmatch(dict); m != nil && len(m[2]) == 0 {
				length, _ = strconv.Atoi(string(m[1]))
			}
			if length < 0 || length > len(body) {
				length = bytes.Index(body, []byte("endstream"))
			}
			objs[n] = pdfObject{dict: dict, stream: body[:length]}
			continue
		}
		if end < 0 {
			end = len(rest)
		}
		objs[n] = pdfObject{dict: rest[:end]}
	}
	return objs
}

// xobjects maps the XObject names of a resource dictionary (inline, or one reference away) to objects.
func xobjects(dict []byte, objs map[int]pdfObject) map[string]int {
	res := dict
	if m := regexp.MustCompile(`/Resources\s+(\d+)\s+0\s+R`).FindSubmatch(dict); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		res = objs[n].dict
	}
	out := map[string]int{}
	if m := regexp.MustCompile(`/XObject\s*<<([^>]*)>>`).FindSubmatch(res); m != nil {
		for _, p := range regexp.MustCompile(`/([^\s/<>\[\]()]+)\s+(\d+)\s+0\s+R`).FindAllSubmatch(m[1], -1) {
			n, _ := strconv.Atoi(string(p[2]))
			out[string(p[1])] = n
		}
	}
	return out
}

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (m applied first).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// interpret runs a content stream and appends the size of each text shown.
func interpret(data []byte, ctm matrix, xobjs map[string]int, objs map[int]pdfObject, sizes *[]float64, depth int) error {
	if depth > 8 {
		return fmt.Errorf("forms nested too deep")
	}
	var stack []matrix
	var operands []string
	var tm matrix
	fontSize := 0.0
	num := func(i int) float64 {
		v, _ := strconv.ParseFloat(operands[len(operands)-i], 64)
		return v
	}
	shown := func() {
		m := tm.mul(ctm)
		*sizes = append(*sizes, math.Abs(fontSize)*math.Hypot(m[2], m[3]))
	}
	for tok := range pdfTokens(data) {
		if tok.operand {
			operands = append(operands, tok.text)
			continue
		}
		switch tok.text {
		case "q":
			stack = append(stack, ctm)
		case "Q":
			if len(stack) > 0 {
				ctm, stack = stack[len(stack)-1], stack[:len(stack)-1]
			}
		case "cm":
			if len(operands) >= 6 {
				ctm = matrix{num(6), num(5), num(4), num(3), num(2), num(1)}.mul(ctm)
			}
		case "BT":
			tm = identity
		case "Tm":
			if len(operands) >= 6 {
				tm = matrix{num(6), num(5), num(4), num(3), num(2), num(1)}
			}
		case "Td", "TD":
			if len(operands) >= 2 {
				tm = matrix{1, 0, 0, 1, num(2), num(1)}.mul(tm)
			}
		case "Tf":
			if len(operands) >= 1 {
				fontSize = num(1)
			}
		case "Tj", "TJ", "'", "\"":
			shown()
		case "Do":
			if len(operands) >= 1 {
				name := operands[len(operands)-1][1:]
				if n, ok := xobjs[name]; ok {
					o := objs[n]
					if bytes.Contains(o.dict, []byte("/Form")) {
						m := identity
						if mm := regexp.MustCompile(`/Matrix\s*\[([^\]]*)\]`).FindSubmatch(o.dict); mm != nil {
							f := bytes.Fields(mm[1])
							for i := 0; i < 6 && i < len(f); i++ {
								m[i], _ = strconv.ParseFloat(string(f[i]), 64)
							}
						}
						data, err := o.data()
						if err != nil {
							return err
						}
						inner := xobjects(o.dict, objs)
						if len(inner) == 0 {
							inner = xobjs
						}
						if err := interpret(data, m.mul(ctm), inner, objs, sizes, depth+1); err != nil {
							return err
						}
					}
				}
			}
		}
		operands = operands[:0]
	}
	return nil
}

type pdfToken struct {
	text    string
	operand bool
}

// pdfTokens splits a content stream into operands (numbers, names, strings, arrays, dictionaries,
// each as one token) and operators.
func pdfTokens(s []byte) func(yield func(pdfToken) bool) {
	return func(yield func(pdfToken) bool) {
		i := 0
		for i < len(s) {
			c := s[i]
			switch {
			case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
				i++
			case c == '%':
				for i < len(s) && s[i] != '\n' && s[i] != '\r' {
					i++
				}
			case c == '(':
				j, depth := i+1, 1
				for j < len(s) && depth > 0 {
					switch s[j] {
					case '\\':
						j++
					case '(':
						depth++
					case ')':
						depth--
					}
					j++
				}
				if !yield(pdfToken{string(s[i:j]), true}) {
					return
				}
				i = j
			case c == '<' && i+1 < len(s) && s[i+1] == '<', c == '[':
				j, depth := i, 0
				for j < len(s) {
					switch {
					case s[j] == '(': // strings inside may hold brackets
						k, d := j+1, 1
						for k < len(s) && d > 0 {
							switch s[k] {
							case '\\':
								k++
							case '(':
								d++
							case ')':
								d--
							}
							k++
						}
						j = k
						continue
					case c == '[' && s[j] == '[', c == '<' && bytes.HasPrefix(s[j:], []byte("<<")):
						depth++
					case c == '[' && s[j] == ']', c == '<' && bytes.HasPrefix(s[j:], []byte(">>")):
						depth--
					default:
						j++
						continue
					}
					if c == '<' {
						j += 2
					} else {
						j++
					}
					if depth == 0 {
						break
					}
				}
				if !yield(pdfToken{string(s[i:min(j, len(s))]), true}) {
					return
				}
				i = j
			case c == '<':
				j := bytes.IndexByte(s[i:], '>')
				if j < 0 {
					return
				}
				if !yield(pdfToken{string(s[i : i+j+1]), true}) {
					return
				}
				i += j + 1
			default:
				j := i + 1
				if c != '/' && (c == ']' || c == '>' || c == '{' || c == '}') {
					i++
					continue
				}
				for j < len(s) && !bytes.ContainsRune([]byte(" \n\r\t\f\x00()<>[]{}/%"), rune(s[j])) {
					j++
				}
				t := string(s[i:j])
				operand := c == '/' || c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') || t == "true" || t == "false" || t == "null"
				if t == "BI" { // an inline image: skip its data
					k := bytes.Index(s[j:], []byte("EI"))
					if k < 0 {
						return
					}
					j += k + 2
				} else if !yield(pdfToken{t, operand}) {
					return
				}
				i = j
			}
		}
	}
}
