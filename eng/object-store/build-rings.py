# Used by eng/object-store.sh: what `swift-ring-builder <kind>.builder create 8 1 1`, `add r1z1-<host>:<port>/d1 100`
# and `rebalance` do, for several rings in one Python process (the CLI costs ~1.3 s per ring).
# Arguments: <etc dir> <host> then <kind> <port> pairs.
import os, sys
from swift.common.ring import RingBuilder
etc, host, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
for kind, port in zip(rest[0::2], rest[1::2]):
    builder = RingBuilder(8, 1, 1)  # 2^8 partitions, 1 replica, min_part_hours 1
    builder.add_dev({'region': 1, 'zone': 1, 'ip': host, 'port': int(port), 'replication_ip': host,
                     'replication_port': int(port), 'device': 'd1', 'weight': 100.0, 'meta': ''})
    builder.rebalance()
    ring_tmp = os.path.join(etc, kind + '.ring.gz.tmp')
    builder.get_ring().save(ring_tmp)
    builder.save(os.path.join(etc, kind + '.builder'))
    os.rename(ring_tmp, os.path.join(etc, kind + '.ring.gz'))
