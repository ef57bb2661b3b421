import { Duration } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';

/** Properties of {@link StreamingSource.kinesis}. */
export interface KinesisSourceProps {
  /** Shards; omit for on-demand capacity. @default - on-demand */
  readonly shardCount?: number;
  /**
   * Hours records stay in the stream (24-8,760). Firehose retries reading for as long as records are retained.
   * @default 24
   */
  readonly retentionHours?: number;
}

/** What feeds the Firehose stream: CloudWatch Logs directly (Direct PUT), or a Kinesis data stream. */
export abstract class StreamingSource {
  /** The destination targets the Firehose stream itself (path `cloudwatch-firehose`). */
  static directPut(): StreamingSource {
    return new DirectPutSource();
  }

  /** The destination targets a KMS-encrypted Kinesis data stream that Firehose reads (path `cloudwatch-kinesis`). */
  static kinesis(props: KinesisSourceProps = {}): StreamingSource {
    return new KinesisSource(props);
  }

  /** `direct-put` or `kinesis`. */
  abstract readonly kind: 'direct-put' | 'kinesis';
}

class DirectPutSource extends StreamingSource {
  readonly kind = 'direct-put';
}

/** @internal */
export class KinesisSource extends StreamingSource {
  readonly kind = 'kinesis';
  constructor(readonly props: KinesisSourceProps) {
    super();
    const hours = props.retentionHours ?? 24;
    if (!Number.isInteger(hours) || hours < 24 || hours > 8760) {
      throw new Error(`retentionHours must be a whole number from 24 to 8760, got ${hours}.`);
    }
    if (props.shardCount !== undefined && !(Number.isInteger(props.shardCount) && props.shardCount >= 1)) {
      throw new Error(
        `shardCount must be a whole number >= 1 (or omitted for on-demand), got ${props.shardCount}.`,
      );
    }
  }

  /** Stream properties for the CDK `kinesis.Stream`. */
  streamProps(): Pick<kinesis.StreamProps, 'streamMode' | 'shardCount' | 'retentionPeriod'> {
    const hours = this.props.retentionHours ?? 24;
    return this.props.shardCount === undefined
      ? { streamMode: kinesis.StreamMode.ON_DEMAND, retentionPeriod: Duration.hours(hours) }
      : {
          streamMode: kinesis.StreamMode.PROVISIONED,
          shardCount: this.props.shardCount,
          retentionPeriod: Duration.hours(hours),
        };
  }
}
