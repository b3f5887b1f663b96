using MLNetNN.Networks;

namespace MLNetNN.Layers;

/// <summary>
/// What a layer needs to know about the pass it takes part in, beside its input: the network's parameters and state, the
/// workspace holding every layer's buffers, whether it is training, and what makes a training step's random choices.
/// </summary>
/// <param name="Parameters">The network's flat trainable parameters (the layer reads its ranges of it).</param>
/// <param name="State">The network's non-trainable state (batch normalisation's running statistics), which optimisers never see.</param>
/// <param name="Workspace">The pass's buffers: each layer's Z, A and scratch.</param>
/// <param name="Index">The layer's position in the network.</param>
/// <param name="BatchRows">Rows in the whole batch (a part of a split pass sees fewer).</param>
/// <param name="Training">
/// A training step: dropout drops, batch normalisation uses the batch's statistics and updates its running ones. Otherwise an
/// inference pass, in which every layer treats each row on its own.
/// </param>
/// <param name="Seed">The run's seed; with <paramref name="Step"/>, the layer's index, the row and the unit it decides each dropout mask value.</param>
/// <param name="Step">Which training forward pass this is (counted by the objective), so each step draws new masks.</param>
/// <param name="Threads">Threads the layer may use for its own work (1 within a part of a split pass).</param>
internal readonly record struct LayerPass(float[] Parameters, float[] State, Workspace Workspace, int Index, int BatchRows, bool Training,
    int Seed, long Step, int Threads);
