.PHONY: run test benchmark

run:
	scripts/run.sh

test:
	scripts/test.sh

benchmark:
	scripts/bootstrap.sh >/dev/null && .venv/bin/python benchmarks/run_all.py
