namespace Orchestrator.Domain.Common;

/// <summary>The outcome of a pure decision: a value, or the AWS error that refuses it.</summary>
public readonly record struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, AwsError? error) => (_value, Error) = (value, error);

    public AwsError? Error { get; }
    public bool IsError => Error is not null;
    public T Value => IsError ? throw new InvalidOperationException($"Result holds an error: {Error}") : _value!;

    public static Result<T> Ok(T value) => new(value, null);
    public static Result<T> Fail(AwsError error) => new(default, error);

    public static implicit operator Result<T>(T value) => Ok(value);
    public static implicit operator Result<T>(AwsError error) => Fail(error);

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsError ? Result<TOut>.Fail(Error!) : map(_value!);
    public Result<TOut> Bind<TOut>(Func<T, Result<TOut>> bind) => IsError ? Result<TOut>.Fail(Error!) : bind(_value!);
}
