import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/**
 * What a function that starts, describes or stops the pathway workflows' executions needs: the actions on exactly
 * those machines and their executions, and the data key for them alone. Step Functions uses the caller's
 * permissions to encrypt the input on StartExecution and to read the execution on Describe/StopExecution
 * (KmsAccessDeniedException otherwise). Shared by the stream dispatcher and the reconciler.
 */
export interface ExecutionControl {
  start: sfn.StateMachine[];
  describe?: sfn.StateMachine[];
  stop: sfn.StateMachine[];
  dataKey: kms.IKey;
}

export function grantExecutionControl(grantee: lambda.IFunction, control: ExecutionControl): void {
  const scope = Stack.of(control.dataKey);
  const executionsOf = (machines: sfn.StateMachine[]) =>
    machines.map((machine) =>
      scope.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${machine.stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
  for (const machine of control.start) machine.grantStartExecution(grantee);
  if (control.describe?.length) {
    grantee.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: executionsOf(control.describe),
      }),
    );
  }
  if (control.stop.length > 0) {
    grantee.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:StopExecution'], resources: executionsOf(control.stop) }),
    );
  }
  const machines = [...new Set([...control.start, ...(control.describe ?? []), ...control.stop])];
  grantee.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [control.dataKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:EncryptionContext:aws:states:stateMachineArn': machines.map(
            (machine) => machine.stateMachineArn,
          ),
        },
      },
    }),
  );
}
