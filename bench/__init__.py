"""``make bench``: nianbao's speed, cost and memory against its peers (issue 10); see bench/run.py."""
