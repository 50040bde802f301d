# Thin wrapper for people who type make: everything lives in ./dev (which needs no make).
.PHONY: lab test setup notebooks help
lab test setup notebooks help:
	./dev $@
