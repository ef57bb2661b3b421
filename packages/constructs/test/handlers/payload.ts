import {
  type CloudWatchLogsMessage,
  encodeCloudWatchPayload,
  FlowLogFormat,
  formatRecord,
} from '@flowlake/flowlogs';

/**
 * Base64 of a gzip CloudWatch Logs subscription payload with `n` default-format flow records (`seed` varies the
 * source addresses; `pad` lengthens the interface id, making each record's JSON bigger).
 */
export function payload(n: number, seed: number, pad = 0): string {
  const msg: CloudWatchLogsMessage = {
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup: '/flowlake/vpcflowlogs/eu-west-1',
    logStream: 'eni-0abc-all',
    subscriptionFilters: ['flowlake'],
    logEvents: Array.from({ length: n }, (_, i) => ({
      id: String(i),
      timestamp: 1_764_496_800_000 + i,
      message: formatRecord(
        {
          version: 2,
          'account-id': '111122223333',
          'interface-id': `eni-0abc${'f'.repeat(pad)}`,
          srcaddr: `10.0.${seed % 250}.${i % 250}`,
          dstaddr: '10.1.0.1',
          srcport: 40000 + i,
          dstport: 443,
          protocol: 6,
          packets: 10,
          bytes: 8000 + i,
          start: 1_764_496_800,
          end: 1_764_496_860,
          action: 'ACCEPT',
          'log-status': 'OK',
        },
        FlowLogFormat.DEFAULT,
      ),
    })),
  };
  return encodeCloudWatchPayload(msg).toString('base64');
}
