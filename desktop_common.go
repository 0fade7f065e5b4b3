package main

import (
	"fmt"
	"os"
)

func fail(err error) int {
	fmt.Fprintf(os.Stderr, "kanade-console: %v\n", err)
	return 2
}
