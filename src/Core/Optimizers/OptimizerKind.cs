namespace MLNetNN.Optimizers;

/// <summary>The update rules the trainer offers.</summary>
public enum OptimizerKind
{
    /// <summary>Full-batch gradient descent: one update per epoch from the gradient over the whole training set.</summary>
    GradientDescent,
    /// <summary>Mini-batch stochastic gradient descent, optionally with (Nesterov) momentum.</summary>
    Sgd,
    /// <summary>Adam (Kingma and Ba, 2015).</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter, 2019).</summary>
    AdamW,
    /// <summary>RMSProp (Hinton, 2012).</summary>
    RMSProp,
    /// <summary>
    /// L-BFGS over the whole training set (scikit-learn's <c>solver='lbfgs'</c>, which it recommends for small data): a
    /// quasi-Newton solver with a Wolfe line search, so no learning rate; each epoch is one of its iterations. With an L1 term it
    /// runs as OWL-QN.
    /// See <see cref="Lbfgs.LbfgsMinimizer"/>.
    /// </summary>
    Lbfgs,
}
