// Command spof finds the single points of failure of an IT platform described in TOML inventory files.
// Run spof --help for the commands; README.md is the manual.
package main

import (
	"os"

	"github.com/spofhq/spof/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], cli.System())) }
