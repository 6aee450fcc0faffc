"""Stage 5 and the build around it: the check/render/lock entry points, planning, the cache, writing, watch."""
