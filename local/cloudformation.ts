/**
 * The parts of a synthesized CloudFormation template that the local runtime reads. Types only: values keep
 * their intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Join`) until a resolver replaces them.
 */

export interface CloudFormationResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}

export interface CloudFormationTemplate {
  Resources: Record<string, CloudFormationResource>;
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}
